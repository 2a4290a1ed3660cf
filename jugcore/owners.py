"""Who holds a lock, and whether that process is still alive.

A store records :func:`this_owner` with each lock it takes and asks
:func:`owner_alive` about it later, instead of reading ``/proc`` itself.
Both go through hooks the app installs (:func:`use_owner_hooks`): plugins add
details to the record (a batch scheduler's job) and judge owners on other
hosts (that job has ended); :func:`process_alive`, the judge of this host's
processes (psutil: Linux, macOS and the BSDs alike), is one of them, and the
only one when no app installed hooks.
"""
import os
from typing import NamedTuple, Optional, Tuple

from jugcore.host import HOSTNAME

__all__ = ["Owner", "this_owner", "owner_alive", "process_alive", "owner_details", "use_owner_hooks"]

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
    details: Tuple[Tuple[str, str], ...] = ()  # (name, value) pairs from jug_owner_details: ("slurm-job", "12_3")

    def to_text(self) -> str:
        """One line of ``name=value`` words (``host=... pid=... started=... pidns=...``, then
        the details as ``+name=value``, %-quoted)."""
        fields = {"host": self.host, "pid": self.pid, "started": _seconds(self.started), "pidns": self.pidns}
        words = [f"{name}={value}" for name, value in fields.items() if value is not None]
        if self.details:
            from urllib.parse import quote  # only records with details need it

            words += [f"+{quote(name, safe='')}={quote(value, safe='/:@_.-')}" for name, value in self.details]
        return " ".join(words)

    @classmethod
    def from_text(cls, text: str) -> "Optional[Owner]":
        """The owner written by :meth:`to_text`, or None if ``text`` names no host
        and pid.  Unknown words are ignored (an older lock's ``boot=...``)."""
        fields = dict(word.split("=", 1) for word in (text or "").split() if "=" in word)
        try:
            pid = int(fields.pop("pid"))
            started = float(fields.pop("started")) if "started" in fields else None
        except (KeyError, ValueError):
            return None
        host, pidns = fields.pop("host", None), fields.pop("pidns", None)
        details = tuple((name[1:], value) for name, value in fields.items() if name[:1] == "+")
        if details:
            from urllib.parse import unquote  # only records with details need it

            details = tuple((unquote(name), unquote(value)) for name, value in details)
        return cls(host, pid, started, pidns, details) if host else None

    def describe(self) -> str:
        """'host pid N', then the details ('host pid N (slurm-job 12_3, log /x.out)'), for people."""
        details = ", ".join(f"{name} {value}" for name, value in self.details)
        return f"{self.host} pid {self.pid}" + (f" ({details})" if details else "")


def _seconds(started):
    return None if started is None else f"{started:.2f}"


def _pid_namespace():
    # Containers may share the host's name (host networking) but not its pids.
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return None  # not Linux: one namespace


_mine = None  # (pid, Owner): a forked child is another owner
_judge = None  # owner -> True/False/None: the plugins' jug_owner_alive (use_owner_hooks)
_details_hook = None  # () -> {name: value}: the plugins' jug_owner_details
_details = None  # (pid, details): asked once per process


def use_owner_hooks(judge, details):
    """Judge owners with ``judge(owner)`` (the ``jug_owner_alive`` hook; None:
    :func:`process_alive` only) and describe this process with ``details()``
    (the ``jug_owner_details`` hook, a {name: value} dict; None: no details)."""
    global _judge, _details_hook, _details, _mine
    _judge, _details_hook, _details, _mine = judge, details, None, None


def owner_details() -> Tuple[Tuple[str, str], ...]:
    """The (name, value) pairs plugins record about this process (its batch
    job, its log file), asked once per process."""
    global _details
    pid = os.getpid()
    if _details is None or _details[0] != pid:
        found = _details_hook() if _details_hook is not None else {}
        _details = (pid, tuple((str(name), str(value)) for name, value in found.items()))
    return _details[1]


def this_owner() -> Owner:
    """This process as the owner of the locks it takes (anew in a forked child)."""
    global _mine
    pid = os.getpid()
    if _mine is None or _mine[0] != pid:
        import psutil  # loaded by the first lock taken, not by every command

        started = round(psutil.Process(pid).create_time(), 2)
        _mine = (pid, Owner(HOSTNAME, pid, started, _pid_namespace(), owner_details()))
    return _mine[1]


def owner_alive(host: str, pid: int, started: Optional[float] = None, pidns: Optional[str] = None,
                details=()) -> Optional[bool]:
    """Whether the process that recorded itself as ``this_owner()`` still runs
    (``owner_alive(*owner)``): the first answer of the ``jug_owner_alive``
    hook that is not None, of :func:`process_alive` without hooks.

    True: it runs.  False: it has ended.  None: nobody can tell.  A store
    treats None as alive unless it has evidence of its own (a lapsed lease).
    """
    owner = Owner(host, pid, started, pidns, tuple(details))
    return process_alive(owner) if _judge is None else _judge(owner)


def process_alive(owner: Owner) -> Optional[bool]:
    """Whether ``owner``, a process of this host, still runs.

    True: it runs (a process with that pid exists, is not a zombie, and
    started when it said, give or take :data:`START_SLACK`).  False: it has
    ended, or its pid now belongs to a younger process.  None: this process
    cannot tell: another host, another pid namespace, or a process it may not
    examine.  Without ``started`` a reused pid passes for alive; without
    ``pidns`` a process of another container with this host's name is judged
    by our pids: record both (``this_owner()`` does).
    """
    host, pid, started, pidns = owner[:4]
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
