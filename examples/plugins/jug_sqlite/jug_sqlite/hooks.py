"""Declares the `sqlite:` jugdir scheme, and the jugdir `jug test-jug` checks it on."""
from jugcore.api import SelfCheckJugdir, StoreBackend, hookimpl


def _open(url):
    from jug_sqlite.store import SqliteStore  # imported only when a sqlite: jugdir is used

    return SqliteStore(url.location)


@hookimpl
def jug_store_backends():
    return [StoreBackend(
        "sqlite", _open, "every result and lock in one SQLite file, for local disks (not NFS)",
        example="sqlite:primes.db",
    )]


@hookimpl
def jug_self_check_jugdirs():
    return [SelfCheckJugdir("sqlite:results/run.db")]
