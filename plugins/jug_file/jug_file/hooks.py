"""Declares the `file` scheme, the default for plain paths, and its setting
``[file] fsync`` (``JUG_FILE_FSYNC=0`` skips the flush on scratch filesystems)."""
from jugcore.config import get_setting
from jugcore.plugins import hookimpl
from jugcore.store import StoreBackend


def _open(url):
    from jug_file.store import FileStore

    return FileStore(url.location, fsync=get_setting("file.fsync"))


@hookimpl
def jug_store_backends():
    return [StoreBackend("file", _open, "a directory of result files (Jug 2.7 layout)", "primes.jugdata")]


@hookimpl
def jug_add_settings(settings):
    settings.add("file", "fsync", type=bool, default=True,
                 help="Flush each result to disk before renaming it into place (off: faster, not crash-safe).")
