"""Declares the `file` scheme, the default for plain paths."""
from jugcore.plugins import hookimpl
from jugcore.store import StoreBackend


def _open(url):
    from jug_file.store import FileStore

    return FileStore(url.location)


@hookimpl
def jug_store_backends():
    return [StoreBackend("file", _open, "a directory of result files (Jug 2.7 layout)", "primes.jugdata")]
