"""Who holds a lock, and whether that process is still alive.

A store records :func:`this_owner` with each lock it takes and asks
:func:`owner_alive` about it later, instead of reading ``/proc`` itself:
psutil answers on Linux, macOS and the BSDs alike.  Stores call this one
function so that whatever else learns to answer (a later release may ask
plugins about owners on other hosts, such as a batch scheduler's jobs)
reaches every store at once.
"""
import os
from typing import NamedTuple, Optional

from jugcore.host import HOSTNAME

__all__ = ["Owner", "this_owner", "owner_alive"]

# A process's start time as two processes see it may differ by the rounding
# of the boot time (whole seconds on Linux); a pid reused within this much of
# its previous holder's start is not told apart (it would need the pid space
# to wrap within two seconds).
START_SLACK = 2.0


class Owner(NamedTuple):
    """A process, as a lock records it."""

    host: str
    pid: int
    started: Optional[float] = None  # epoch seconds it started: tells a reused pid apart
    pidns: Optional[str] = None  # Linux pid namespace: a pid means something only in its own

    def to_text(self) -> str:
        """One line of ``name=value`` words (``host=... pid=... started=... pidns=...``)."""
        fields = {"host": self.host, "pid": self.pid, "started": _seconds(self.started), "pidns": self.pidns}
        return " ".join(f"{name}={value}" for name, value in fields.items() if value is not None)

    @classmethod
    def from_text(cls, text: str) -> "Optional[Owner]":
        """The owner written by :meth:`to_text` (unknown words ignored), or None
        if ``text`` names no host and pid."""
        fields = dict(word.split("=", 1) for word in (text or "").split() if "=" in word)
        try:
            pid = int(fields["pid"])
            started = float(fields["started"]) if "started" in fields else None
        except (KeyError, ValueError):
            return None
        host = fields.get("host")
        return cls(host, pid, started, fields.get("pidns")) if host else None

    def describe(self) -> str:
        """'host pid N', for people."""
        return f"{self.host} pid {self.pid}"


def _seconds(started):
    return None if started is None else f"{started:.2f}"


def _pid_namespace():
    # Containers may share the host's name (host networking) but not its pids.
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return None  # not Linux: one namespace


_mine = None  # (pid, Owner): a forked child is another owner


def this_owner() -> Owner:
    """This process as the owner of the locks it takes (anew in a forked child)."""
    global _mine
    pid = os.getpid()
    if _mine is None or _mine[0] != pid:
        import psutil  # loaded by the first lock taken, not by every command

        started = round(psutil.Process(pid).create_time(), 2)
        _mine = (pid, Owner(HOSTNAME, pid, started, _pid_namespace()))
    return _mine[1]


def owner_alive(host: str, pid: int, started: Optional[float] = None, pidns: Optional[str] = None) -> Optional[bool]:
    """Whether the process that recorded itself as ``this_owner()`` still runs.

    True: it runs (a process with that pid exists, is not a zombie, and
    started when it said, give or take :data:`START_SLACK`).  False: it has
    ended, or its pid now belongs to a younger process.  None: this process
    cannot tell: another host, another pid namespace, or a process it may not
    examine.  A store treats None as alive unless it has evidence of its own
    (a lapsed lease).  Without ``started`` a reused pid passes for alive;
    without ``pidns`` a process of another container with this host's name
    is judged by our pids: record both (``this_owner()`` does).
    """
    if host != HOSTNAME:
        return None
    if pidns is not None and pidns != this_owner().pidns:
        return None
    import psutil  # 16 ms: loaded by the first owner asked about, not by every command

    try:
        process = psutil.Process(int(pid))
        if process.status() == psutil.STATUS_ZOMBIE:
            return False  # ended; only its parent has not collected it yet
        return started is None or abs(process.create_time() - float(started)) <= START_SLACK
    except psutil.NoSuchProcess:  # (ZombieProcess included)
        return False
    except psutil.AccessDenied:
        return None
