"""What a store keeps about how each result was made: where, when, how long.

A run record is one line of JSON, kept by the store beside the result in a
place Jug 2.7 never reads (a ``records/`` folder of the jugdir, a ``record:``
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
        return cls(name, _HOST, os.getpid(), started, duration, _peak_rss(), __version__, code)

    def to_json(self) -> str:
        """One line (no newline inside)."""
        import json  # loaded once per worker, on its first record

        return json.dumps(dict(zip(_FIELDS, self)), separators=(",", ":"))

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


def _peak_rss():
    try:
        import resource  # no such module on Windows
    except ImportError:
        return 0
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib if _MAXRSS_IN_BYTES else kib * 1024


_MAXRSS_IN_BYTES = os.uname().sysname == "Darwin" if hasattr(os, "uname") else False
