"""jug-sqlite: every result and lock of a jug run in one SQLite file."""
__all__ = ["SqliteStore"]


def __getattr__(attr):
    # Every `jug` command imports every plugin's hooks module, and so this
    # package: the store (and sqlite3) load only when a sqlite: jugdir is used.
    if attr == "SqliteStore":
        from jug_sqlite.store import SqliteStore

        return SqliteStore
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
