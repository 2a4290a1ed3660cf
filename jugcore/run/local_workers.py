"""`jug execute -j N`: the one module that runs workers on this machine.

The parent starts N copies of `jug execute`, each told what it is by a
:class:`WorkerSpec` (its only difference from the parent's command line), shows
their combined progress if a plugin offers a display (``jug_workers_progress``),
and adds up the RunSummary each writes.  The worker's half is here too:
:func:`as_worker` and :func:`write_report`.
"""
import os
import signal
import sys
from typing import NamedTuple, Optional

from jugcore.errors import JugError
from jugcore.redact import redact
from jugcore.run.summary import RunSummary
from jugcore.run.worker import exit_on_sigterm
from jugcore.run.worker_spec import OPTION
from jugcore.stores.contract import select_backend

__all__ = ["WorkerSpec", "run_local_workers", "as_worker", "write_report"]


class WorkerSpec(NamedTuple):
    """What a worker is told, as one JSON document on its command line
    (``jug execute --local-worker=SPEC ARGS...``, ARGS the parent's own)::

        {"index": 0, "count": 4, "run_started": 1714000000.25,
         "report": "/tmp/jug-workers-x1y2/0.json", "progress_fd": 5}

    ``index``: this worker's number, 0 .. count-1 (siblings start at different
    points of the ready list); ``run_started``: epoch seconds when the parent
    started (failures recorded since are siblings', not retried); ``report``:
    the file the worker writes its RunSummary to (``RunSummary.to_json``);
    ``progress_fd``: the pipe to send progress lines to, or null for none.
    """

    index: int
    count: int
    run_started: float
    report: str
    progress_fd: Optional[int] = None

    def to_json(self):
        import json

        return json.dumps(self._asdict())

    @classmethod
    def from_json(cls, text):
        import json

        fields = json.loads(text)
        return cls(int(fields["index"]), int(fields["count"]), float(fields["run_started"]),
                   str(fields["report"]), fields.get("progress_fd"))

    def command(self, args):
        """The `jug` arguments that start this worker on the parent's `jug execute` ``args``."""
        return ["execute", f"{OPTION}={self.to_json()}", *args]

# Workers start as `python -c`, whose first sys.path entry (the current folder)
# is dropped before anything is imported: a `jugcore/` or `jug/` folder there
# must not stand in for ours (`python -m jugcore` would put it first).
_WORKER_MAIN = "import sys; del sys.path[0]; from jugcore.cli import main; main()"


def run_local_workers(pm, jugdir, jobs, args, run_started):
    """Run ``jobs`` workers on `jug execute` ``args`` (the parent's own, without
    the spec); returns (their RunSummary merged, a sentence for each worker that
    ended without a report, whether all exited 0)."""
    _refuse_unshared(pm, jugdir)
    import tempfile

    display = pm.hook.jug_workers_progress(jobs=jobs)
    with tempfile.TemporaryDirectory(prefix="jug-workers-") as reports:
        specs = [WorkerSpec(i, jobs, run_started, os.path.join(reports, f"{i}.json")) for i in range(jobs)]
        codes = _run(specs, args, display)
        summaries = [_read_report(spec.report) for spec in specs]
    silent = [f"worker {i + 1} of {jobs} {_how_it_ended(codes[i])} without reporting what it did; "
              "its messages, if any, are above." for i, s in enumerate(summaries) if s is None]
    merged = RunSummary.merge([s for s in summaries if s is not None])
    return merged, silent, not silent and all(code == 0 for code in codes)


def _refuse_unshared(pm, jugdir):
    backend, _ = select_backend(pm, jugdir)
    if not backend.shared_between_processes:
        raise JugError(
            f"the jugdir '{redact(jugdir)}' serves one process only and cannot be shared by -j "
            "workers; use a file jugdir (the default) or Redis"
        )


def _run(specs, args, display):
    """Start a worker per spec and wait for all (showing their progress on
    ``display``, if any); their exit codes."""
    import subprocess

    read_fd, write_fd = os.pipe() if display is not None else (None, None)
    relay = None
    if display is not None:
        specs = [spec._replace(progress_fd=write_fd) for spec in specs]
        from jugcore.run.worker_output import OutputRelay

        relay = OutputRelay(display)
    procs = []
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    try:
        for spec in specs:
            procs.append(subprocess.Popen([sys.executable, "-c", _WORKER_MAIN, *spec.command(args)],
                                          pass_fds=() if write_fd is None else (write_fd,),
                                          **(relay.worker_ends() if relay is not None else {})))
        _wait(procs, read_fd, write_fd, display, relay)
    finally:
        # Interrupted (Ctrl-C, SIGTERM) or not: no worker outlives the parent.
        for p in procs:
            if p.poll() is None:
                p.terminate()
        codes = [p.wait() for p in procs]
    return codes


def _wait(procs, read_fd, write_fd, display, relay):
    if display is None:
        for p in procs:
            p.wait()
        return
    from jugcore.run.worker_progress import follow

    os.close(write_fd)  # the pipe closes when the last worker holding it exits
    relay.started()
    try:
        follow(procs, read_fd, display, relay)
    finally:
        os.close(read_fd)


def _read_report(path):
    try:
        with open(path) as f:
            return RunSummary.from_json(f.read())
    except (OSError, ValueError):
        return None


def _how_it_ended(code):
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


# --- the worker's half ------------------------------------------------------------------
def as_worker(pm, spec):
    """Make this process worker ``spec``: its progress goes to the parent."""
    if spec.progress_fd is not None:
        from jugcore.run.worker_progress import ProgressToParent

        if _is_a_pipe(sys.stdout):  # perhaps to the parent, which shows whole lines as they come (worker_output)
            sys.stdout.reconfigure(line_buffering=True)

        pm.register(ProgressToParent(spec.progress_fd, spec.index), name="jug-worker-progress")


def _is_a_pipe(stream):
    import stat

    try:
        return stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):
        return False


def write_report(spec, summary):
    with open(spec.report, "w") as f:
        f.write(summary.to_json())
