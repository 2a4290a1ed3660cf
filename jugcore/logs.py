"""`--verbose LEVEL`: standard logging on stderr, passwords masked."""
import logging

from jugcore.redact import redact

__all__ = ["configure"]


class RedactingFormatter(logging.Formatter):
    """Log lines with every URL's password masked, whoever logged them (a
    jugfile's own logging included)."""

    def format(self, record):
        return redact(super().format(record))


def configure(level):
    """Log at ``level`` (info, debug, ...) and above to stderr, as ``jug: LEVEL: message``."""
    logging.basicConfig(level=level.upper())
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter("jug: %(levelname)s: %(message)s"))
