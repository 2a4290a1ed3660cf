"""The one error type the CLI handles: printed as one line, no traceback.

Anything else that escapes a command is a bug and keeps its traceback.
"""
import sys

import click

from jugcore.redact import redact

__all__ = ["JugError", "LeaseLost", "warn"]


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
