"""jug-sqlite: every result and lock of a jug run in one SQLite file."""
from jug_sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
