"""What a store keeps about a failed task, so every process can say why it failed.

A record is one line of JSON: stores put it next to the task's failed lock in
a place Jug 2.7 does not read (extra lines of a lock file, a separate key), so
Jug still sees an ordinary failed lock.
"""
import os
import time
from typing import NamedTuple, Optional

from jugcore.host import HOSTNAME as _HOST
from jugcore.owners import Owner, owner_details
from jugcore.redact import redact

__all__ = ["FailureRecord", "may_retry", "error_message"]


class FailureRecord(NamedTuple):
    exception: str  # the exception's type name
    message: str
    traceback: str  # formatted, the user's frames
    host: str
    pid: int
    time: float  # epoch seconds
    kept: bool = False  # failed under --keep-failed: no run retries it until `jug cleanup --failed-only`
    details: tuple = ()  # (name, value) pairs describing the worker (jug_owner_details: its batch job, its log)

    @classmethod
    def from_exception(cls, error: BaseException, traceback_text: Optional[str] = None, kept=False):
        if traceback_text is None:
            import traceback as tb  # 1.3 ms: only a failure needs it

            traceback_text = "".join(tb.format_exception(type(error), error, error.__traceback__))
        # Records are read by everyone who can read the jugdir: no password goes in.
        return cls(type(error).__name__, redact(error_message(error)), redact(traceback_text), _HOST,
                   os.getpid(), time.time(), kept, owner_details())

    def retryable_by(self, run_started: float) -> bool:
        """May a run that began at ``run_started`` retry this failure?  Not when
        it was kept, nor when it happened during that run (a sibling's)."""
        return not self.kept and self.time < run_started

    def headline(self) -> str:
        # Masked again: records written before passwords were masked at the source.
        return redact(f"{self.exception}: {self.message}") if self.message else self.exception

    def where(self) -> str:
        """'host pid N', then the details ('host pid N (slurm-job 12_3, log /x.out)'), for people."""
        return Owner(self.host, self.pid, details=self.details).describe()

    def to_json(self) -> str:
        """One line (no newline inside), safe to append to a text file."""
        import json  # 2 ms: only failure records need it

        return json.dumps(self._asdict(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text) -> Optional["FailureRecord"]:
        """The record in ``text``, or None if it is not one (never raises: a
        damaged record must not stop `jug status`)."""
        import json  # 2 ms, as above

        try:
            fields = json.loads(text)
            return cls(str(fields["exception"]), str(fields["message"]), str(fields["traceback"]),
                       str(fields["host"]), int(fields["pid"]), float(fields["time"]),
                       bool(fields.get("kept", False)),
                       tuple((str(name), str(value)) for name, value in fields.get("details", ())))
        except (ValueError, TypeError, KeyError):
            return None


def error_message(error):
    """``str(error)``, or a note when that raises."""
    try:
        return str(error)
    except Exception as e:  # an exception whose __str__ fails must still be recorded
        return f"(its message could not be formatted: {type(e).__name__})"


def may_retry(record: Optional[FailureRecord], run_started: float) -> bool:
    """For ``Lock.take_failed``: a failed lock without a record was failed by
    Jug 2.7 under --keep-failed (the only way it fails locks), so it stays."""
    return record is not None and record.retryable_by(run_started)
