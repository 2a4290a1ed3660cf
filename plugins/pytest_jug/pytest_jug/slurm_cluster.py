"""A real one-node Slurm cluster for tests of scheduler plugins (jug-slurm, and yours).

:class:`SlurmCluster` writes a minimal ``slurm.conf`` into a folder of its own
(one node: this host, with the CPUs and memory ``slurmd -C`` finds; no
accounting; ``proctrack/linuxproc`` and ``task/none``, so no cgroups are
needed; ports chosen free), starts ``munged`` with its own key and socket,
then ``slurmctld`` and ``slurmd`` in the foreground as child processes (no
systemd), and waits until ``sinfo`` shows the node idle.  Clients find it
through ``SLURM_CONF`` (:attr:`environ`).  :meth:`stop` cancels what still
runs and stops the daemons by pid.  It needs root (as CI has) and the
Debian packages ``slurmctld slurmd slurm-client munge``.

:func:`slurm_cluster_or_skip` is what fixtures call: where no cluster can be
started it skips the test with a one-line reason, except under CI
(``CI=true``), where that is a failure.
"""
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

__all__ = ["SlurmCluster", "SlurmUnavailable", "slurm_cluster_or_skip"]

_START_TIMEOUT = 60.0
_PROGRAMS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel")


class SlurmUnavailable(RuntimeError):
    """Slurm or munge is not installed, or the cluster would not start."""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _program(name):
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class SlurmCluster:
    """munged + slurmctld + slurmd of our own, configured in ``folder``."""

    def __init__(self, folder, partition="debug"):
        self.folder = Path(folder)
        self.partition = partition
        self.programs = {name: _program(name) for name in _PROGRAMS}
        missing = [name for name, path in self.programs.items() if path is None]
        if missing:
            raise SlurmUnavailable(f"{', '.join(missing)} not installed "
                                   "(Debian: apt-get install slurmctld slurmd slurm-client munge)")
        if os.geteuid() != 0:
            raise SlurmUnavailable("starting slurmd needs root")
        self.conf = self.folder / "slurm.conf"
        self.environ = {"SLURM_CONF": str(self.conf)}
        self.procs = {}  # daemon name -> Popen

    def start(self):
        """Start the daemons; returns self once the node is idle."""
        for sub in ("munge", "state", "spool", "log"):
            (self.folder / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
        self._write_munge_key()
        self._write_conf()
        munge = self.folder / "munge"
        self._spawn("munged", "--foreground", "--force", f"--key-file={munge / 'munge.key'}",
                    f"--socket={munge / 'socket'}", f"--pid-file={munge / 'munged.pid'}",
                    f"--seed-file={munge / 'seed'}", f"--log-file={self.folder / 'log' / 'munged.log'}")
        self._until(lambda: (munge / "socket").exists(), "munged to open its socket")
        self._spawn("slurmctld", "-D", "-i", "-f", str(self.conf))
        self._spawn("slurmd", "-D", "-f", str(self.conf))
        self._until(lambda: self.node_state() == "idle", "the node to be idle in sinfo")
        return self

    def _write_munge_key(self):
        fd = os.open(self.folder / "munge" / "munge.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(1024))

    def _write_conf(self):
        found = subprocess.run([self.programs["slurmd"], "-C"], capture_output=True, text=True).stdout
        node = next((line for line in found.splitlines() if line.startswith("NodeName=")), None)
        if node is None:
            raise SlurmUnavailable(f"slurmd -C did not describe this host: {found.strip()!r}")
        name = node.split()[0].split("=", 1)[1]
        f = self.folder
        self.conf.write_text("\n".join([
            "ClusterName=jugtest",
            f"SlurmctldHost={name}(127.0.0.1)",
            "SlurmUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={f / 'munge' / 'socket'}",
            f"SlurmctldPort={_free_port()}",
            f"SlurmdPort={_free_port()}",
            f"StateSaveLocation={f / 'state'}",
            f"SlurmdSpoolDir={f / 'spool'}",
            f"SlurmctldPidFile={f / 'slurmctld.pid'}",
            f"SlurmdPidFile={f / 'slurmd.pid'}",
            f"SlurmctldLogFile={f / 'log' / 'slurmctld.log'}",
            f"SlurmdLogFile={f / 'log' / 'slurmd.log'}",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU",
            "ReturnToService=2",
            "MpiDefault=none",
            "KillWait=2",  # seconds from SIGTERM to SIGKILL when a job is cancelled or times out
            f"{node} NodeAddr=127.0.0.1 State=UNKNOWN",
            f"PartitionName={self.partition} Nodes={name} Default=YES MaxTime=INFINITE State=UP",
            "",
        ]))

    def _spawn(self, name, *args):
        log = open(self.folder / "log" / f"{name}.out", "w")
        self.procs[name] = subprocess.Popen([self.programs[name], *args], stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, env={**os.environ, **self.environ})
        log.close()

    def _until(self, condition, what):
        deadline = time.monotonic() + _START_TIMEOUT
        while not condition():
            ended = [name for name, proc in self.procs.items() if proc.poll() is not None]
            if ended or time.monotonic() > deadline:
                problem = f"{', '.join(ended)} exited" if ended else f"no {what} within {_START_TIMEOUT:.0f} s"
                self.stop()
                raise SlurmUnavailable(f"{problem}; logs in {self.folder / 'log'}: {self._log_tail()}")
            time.sleep(0.1)

    def client(self, name, *args, check=True):
        """Run a Slurm client (``squeue``, ``scancel``, ``scontrol``...) against this cluster."""
        path = self.programs.get(name) or _program(name)
        return subprocess.run([path, *map(str, args)], capture_output=True, text=True, check=check, timeout=60,
                              env={**os.environ, **self.environ})

    def node_state(self):
        done = self.client("sinfo", "--noheader", "--format=%t", check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def stop(self):
        """Cancel every job, then stop slurmd, slurmctld and munged (in that order) by pid."""
        if "slurmctld" in self.procs and self.procs["slurmctld"].poll() is None:
            self.client("scancel", "--user=root", check=False)
            deadline = time.monotonic() + 30  # their processes end within KillWait
            while self.client("squeue", "--noheader", check=False).stdout.strip() and time.monotonic() < deadline:
                time.sleep(0.1)
        for name in ("slurmd", "slurmctld", "munged"):
            proc = self.procs.pop(name, None)
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def _log_tail(self):
        lines = []
        for path in sorted((self.folder / "log").glob("*")):
            tail = path.read_text(errors="replace").strip().splitlines()[-2:]
            lines += [f"{path.name}: {line}" for line in tail]
        return " | ".join(lines) or "no logs"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def slurm_cluster_or_skip(folder, **options):
    """A started :class:`SlurmCluster`; skips the calling test if there can be none
    (fails under CI, where the Slurm packages must be installed and we are root)."""
    from pytest_jug.processes import started_or_skip

    return started_or_skip(lambda: SlurmCluster(folder, **options).start(), SlurmUnavailable, "a Slurm cluster")
