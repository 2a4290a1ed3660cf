"""The one error type the CLI handles: printed as one line, no traceback.

Anything else that escapes a command is a bug and keeps its traceback.
"""
import errno
import os
import sys

import click

from jugcore.redact import redact

__all__ = ["JugError", "LeaseLost", "StoreWriteError", "is_store_environment_error", "warn"]


class JugError(click.ClickException):
    """A problem the user can fix; ``message`` names the thing and the fix."""

    exit_code = 1

    def __init__(self, message, exit_code=None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def show(self, file=None):
        click.echo(f"jug: error: {redact(self.format_message())}", file=file or sys.stderr)


def warn(message):
    """One warning line on stderr, passwords masked."""
    print(f"jug: warning: {redact(message)}", file=sys.stderr, flush=True)


class LeaseLost(Exception):
    """Raised by ``Store.dump(key, value)`` when this process took the lock of
    ``key`` to run the task, but its lease lapsed (the process was frozen, or the
    task kept the heartbeat from running) and another worker took the task over:
    ``value`` was not stored; the other worker's result stays, or will.

    Not a failure: the scheduler reports it apart and leaves the task to the
    other worker.  ``holder`` names that worker for people (``HOST:PID``), or is
    "" when nobody holds the task any more (its new holder finished and let go).
    """

    def __init__(self, key, holder=""):
        self.key = key
        self.holder = holder
        name = key.decode() if isinstance(key, bytes) else key
        super().__init__(f"the lease on task {name} was lost to {holder or 'another worker'}")


class StoreWriteError(JugError):
    """The store refused a write (full disk, quota, read-only): the fault of no task."""

    def __init__(self, error, doing, where):
        reason = os.strerror(error.errno).lower() if error.errno else str(error)
        fix = _FIXES.get(error.errno, "Check the filesystem of the jugdir, then run jug execute again.")
        super().__init__(f"{reason} while {doing} in {where}. {fix}")


_ROOM = "Free some space (or raise the quota), then run jug execute again."
_READ_ONLY = ("Run where the jugdir is writable, or choose another with --jugdir "
              "(jug status and jug check work on a read-only jugdir).")
_FIXES = {
    errno.ENOSPC: _ROOM, errno.EDQUOT: _ROOM, errno.EFBIG: _ROOM,
    errno.EROFS: _READ_ONLY, errno.EACCES: _READ_ONLY, errno.EPERM: _READ_ONLY,
}


def is_store_environment_error(error):
    """True for an OSError that says the store cannot be written at all (no room, no
    permission, a failing disk), rather than anything about the value being written."""
    return isinstance(error, OSError) and (error.errno in _FIXES or error.errno == errno.EIO)
