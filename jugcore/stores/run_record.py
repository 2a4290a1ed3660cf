"""What a store keeps about how each result was made: where, when, how long.

A run record is one line of JSON, kept by the store beside the result in a
place Jug 2.7 never reads (logs in the jugdir's ``tempfiles``, a ``record:``
key), and removed with the result.  Results Jug 2.7 made have none: every
reader treats a missing record as "unknown".  docs/plugins/run-records.md
describes the fields for store authors and readers.
"""
import os
import time
from typing import NamedTuple, Optional

from jugcore import __version__
from jugcore.host import HOSTNAME as _HOST

__all__ = ["RunRecord", "read_run_records"]

_new_tuple = tuple.__new__
_FIELDS = ("name", "host", "pid", "started", "duration", "peak_rss", "version", "code")


class RunRecord(NamedTuple):
    name: str  # the task's name (module.function)
    host: str
    pid: int  # of the worker that ran it
    started: float  # epoch seconds
    duration: float  # seconds the function ran (storing its result not included)
    peak_rss: int  # bytes: the worker's peak resident memory when the task ended (0: unknown)
    version: str  # the jugcore version that ran it
    code: str  # the task function's code fingerprint (jugcore.model.fingerprint), '' if unknown

    @property
    def finished(self) -> float:
        return self.started + self.duration

    @classmethod
    def now(cls, name, started, duration, code):
        """The record of a task of this process that began at ``started`` (epoch)
        and took ``duration`` seconds."""
        # Every task run makes one, so: tuple.__new__ (a NamedTuple's own __new__ is a
        # Python function), and the peak RSS asked of the system only after a task of
        # 5 ms or more (a shorter one can hardly have raised it; the system call would
        # be a good part of a trivial task's record).
        process = this_process
        peak_rss = process.last_rss
        if peak_rss is None or duration >= 0.005:
            peak_rss = process.read_peak_rss()
        return _new_tuple(cls, (name, _HOST, process.pid, started, duration, peak_rss, __version__, code))

    def to_json(self) -> str:
        """One line (no newline inside).  Written for every task run, so built
        by hand: json.dumps with its options costs several microseconds."""
        name, host, pid, started, duration, peak_rss, version, code = self
        ends = _ENDS.get((name, host, pid, version, code))
        if ends is None:
            ends = _ends(name, host, pid, version, code)
        return f'{ends[0]}"started":{float(started)!r},"duration":{float(duration)!r},"peak_rss":{int(peak_rss)}{ends[1]}'

    def to_line(self) -> bytes:
        """The record in a few dozen bytes (no newline inside), for a store that
        writes one per task: ``r1 <started µs> <duration ns> <peak_rss> <pid>
        <version> <host> <code> <name>``, the part after the numbers kept once per
        task function.  Times come back from :meth:`from_line` to the
        microsecond (the duration to the nanosecond)."""
        name, host, pid, started, duration, peak_rss, version, code = self
        tail = _TAILS.get((name, host, pid, version, code))
        if tail is None:
            tail = _tail(name, host, pid, version, code)
        return b"r1 %d %d %d %s" % (int(started * 1e6), int(duration * 1e9), peak_rss, tail)

    @classmethod
    def from_line(cls, data) -> Optional["RunRecord"]:
        """The record ``to_line`` wrote (bytes), or None if ``data`` is not one."""
        try:
            mark, started, duration, peak_rss, pid, version, host, code, name = \
                bytes(data).decode("utf-8", "replace").split(" ", 8)
            if mark != "r1":
                return None
            return cls(name, host, int(pid), int(started) / 1e6, int(duration) / 1e9, int(peak_rss), version, code)
        except (ValueError, TypeError):
            return None

    @classmethod
    def from_json(cls, text) -> Optional["RunRecord"]:
        """The record in ``text`` (str or bytes), or None if it is not one (never
        raises: a damaged record must not stop `jug status`)."""
        import json

        try:
            f = json.loads(text)
            return cls(str(f["name"]), str(f["host"]), int(f["pid"]), float(f["started"]),
                       float(f["duration"]), int(f.get("peak_rss") or 0), str(f.get("version", "")),
                       str(f.get("code") or ""))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def as_dict(self) -> dict:
        """The fields, plus ``finished``, as plain values (for JSON output)."""
        return {**dict(zip(_FIELDS, self)), "finished": self.finished}


def read_run_records(store, keys) -> dict:
    """{key: RunRecord} for those of ``keys`` (bytes) whose results have a
    record in ``store``: the one call readers (`jug status`, `jug show`, `jug
    webstatus`) make.  A store that keeps no records answers {}."""
    keys = keys if isinstance(keys, list) else list(keys)
    return store.records_many(keys) if keys else {}


_ENDS = {}  # (name, host, pid, version, code) -> the JSON text before and after the numbers that vary
_TAILS = {}  # (name, host, pid, version, code) -> what to_line writes after the numbers


def _ends(name, host, pid, version, code):
    import json  # once per worker

    if len(_ENDS) > 10000:
        _ENDS.clear()
    ends = _ENDS[name, host, pid, version, code] = (
        f'{{"name":{json.dumps(str(name))},"host":{json.dumps(str(host))},"pid":{int(pid)},',
        f',"version":{json.dumps(str(version))},"code":{json.dumps(str(code))}}}')
    return ends


def _tail(name, host, pid, version, code):
    if len(_TAILS) > 10000:
        _TAILS.clear()
    tail = _TAILS[name, host, pid, version, code] = f"{int(pid)} {version} {host} {code} {name}".encode("utf-8",
                                                                                                  "replace")
    return tail


class _Process:
    """This process's pid (kept: a syscall a task saved) and the peak RSS last read."""

    def __init__(self):
        self.pid = os.getpid()
        self.last_rss = None
        self._getrusage = None

    def forked(self):
        self.pid = os.getpid()
        self.last_rss = None

    def read_peak_rss(self):
        if self._getrusage is None:
            self._getrusage = _rusage_reader()
        self.last_rss = self._getrusage()
        return self.last_rss


def _rusage_reader():
    """A function giving the peak RSS in bytes (0 where unknown)."""
    try:
        import resource  # no such module on Windows
    except ImportError:
        return lambda: 0
    scale = 1 if os.uname().sysname == "Darwin" else 1024  # macOS counts bytes, Linux KiB
    getrusage, me = resource.getrusage, resource.RUSAGE_SELF
    return lambda: getrusage(me).ru_maxrss * scale


this_process = _Process()  # its pid is kept up to date across forks: stores check it on their per-task paths
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=this_process.forked)
