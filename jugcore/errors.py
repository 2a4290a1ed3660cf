"""The one error type the CLI handles: printed as one line, no traceback.

Anything else that escapes a command is a bug and keeps its traceback.
"""
import sys

import click

from jugcore.redact import redact

__all__ = ["JugError", "warn"]


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
