"""`--verbose LEVEL`: standard logging on stderr, passwords masked."""
import logging
import sys

from jugcore.redact import redact

__all__ = ["configure"]


class RedactingFormatter(logging.Formatter):
    """Log lines with every URL's password masked, whoever logged them (a
    jugfile's own logging included)."""

    def format(self, record):
        return redact(super().format(record))


class CurrentStderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (on a terminal,
    the progress line puts a wrapper there that keeps log lines above it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass  # always the current sys.stderr


def configure(level):
    """Log at ``level`` (info, debug, ...) and above to stderr, as ``jug: LEVEL: message``."""
    logging.basicConfig(level=level.upper(), handlers=[CurrentStderr()])
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter("jug: %(levelname)s: %(message)s"))
