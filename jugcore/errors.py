"""The one error type the CLI handles: printed as one line, no traceback.

Anything else that escapes a command is a bug and keeps its traceback.
"""
import errno
import os
import sys

import click

__all__ = ["JugError", "StoreWriteError", "is_store_environment_error"]


class JugError(click.ClickException):
    """A problem the user can fix; ``message`` names the thing and the fix."""

    exit_code = 1

    def __init__(self, message, exit_code=None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def show(self, file=None):
        click.echo(f"jug: error: {self.format_message()}", file=file or sys.stderr)


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
