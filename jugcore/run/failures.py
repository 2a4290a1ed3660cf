"""Tasks that failed, or whose lease was lost, and how their errors are shown.

A :class:`TaskFailure` is made where the task ran, from the live exception, and
keeps what the user is told (type, message, the user's frames) as plain
fields, so that a -j worker can hand it to its parent as JSON.  Traceback
formatting lives here, next to the failures it describes.
"""
import os
from dataclasses import asdict, dataclass, field
from typing import Optional

from jugcore.errors import JugError
from jugcore.stores.failure_record import FailureRecord, error_message

__all__ = ["TaskFailure", "LostLease", "user_traceback"]

_PICKLING_HINT = ("  Results are pickled: return plain data (no lambdas, open files or locks). "
                  "Nothing was stored for this task.")


@dataclass
class TaskFailure:
    """Task ``name`` (key ``key``) raised, or (``saving``) its result could not be stored."""

    name: str
    key: str
    error: Optional[BaseException] = field(default=None, compare=False, repr=False)  # only where it ran
    saving: bool = False
    exception: str = ""  # the exception's type name
    message: str = ""
    traceback: str = ""  # the user's frames; "" when the user is shown none (see details)
    hint: str = ""  # said instead of the traceback

    def __post_init__(self):
        if self.error is not None and not self.exception:
            self.exception = type(self.error).__name__
            self.message = error_message(self.error)
            self.hint, self.traceback = _hint_or_traceback(self.error, self.saving)

    def headline(self):
        what = "its result could not be stored" if self.saving else "it raised"
        return f"task {self.name} failed ({what}): {self.exception}: {self.message}"

    def details(self, verbose=False):
        """What follows the headline: a hint, or the traceback (every frame when verbose)."""
        if verbose and self.error is not None and not self.hint:
            return user_traceback(self.error, verbose=True)
        return self.hint or self.traceback

    def record(self, kept=False):
        """What the store keeps about this failure (made where it happened: needs ``error``)."""
        return FailureRecord.from_exception(self.error, user_traceback(self.error), kept)

    def to_dict(self):
        fields = asdict(self)
        del fields["error"]
        return fields


def _hint_or_traceback(error, saving):
    if saving and not isinstance(error, OSError):
        return _PICKLING_HINT, ""
    if isinstance(error, JugError):  # says what to fix; its frames are ours
        return "", ""
    return "", user_traceback(error)


@dataclass
class LostLease:
    """A task that ran here, but whose lease lapsed and was taken over by ``holder``
    (``HOST:PID``, or "" if unknown) before its result could be stored."""

    name: str
    key: str
    holder: str = ""

    def headline(self):
        return (f"lease lost: task {self.name} was taken over by {self.holder or 'another worker'}; "
                "our result was discarded")


def user_traceback(error, verbose=False):
    """The traceback of ``error`` without jugcore's own frames (all of it when verbose)."""
    import traceback  # only when something failed: it is not cheap to import

    frames = traceback.extract_tb(error.__traceback__)
    if not verbose:
        frames = [f for f in frames if not _is_jug_frame(f.filename)]
    if not frames:
        return ""
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines).rstrip("\n")


_CORE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # jugcore/
_JUG_DIRS = (_CORE_DIR + os.sep, os.path.join(os.path.dirname(_CORE_DIR), "jug") + os.sep)


def _is_jug_frame(filename):
    return filename.startswith(_JUG_DIRS) or "/pluggy/" in filename or "/click/" in filename
