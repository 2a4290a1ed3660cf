"""Declares the `file` scheme, the default for plain paths, its settings
``[file] fsync`` (``JUG_FILE_FSYNC=0`` skips the flush on scratch filesystems),
``[file] listing-cache`` (see listing.py), ``[file] empty-result-is-none`` (for
jugdirs Jug 2.7 wrote), and `jug pack`, which only file jugdirs have."""
from jugcore.api import SelfCheckJugdir, StoreBackend, hookimpl

# What `jug.backends.file_store` names for Jug 2 code that imports it.
_JUG2_NAMES = (("jug.backends.file_store.file_store", "jug_file.store:FileStore"),
               ("jug.backends.file_store.file_based_lock", "jug_file.lock:FileLock"),
               ("jug.backends.file_store.MAX_FILESIZE_IN_PACK", "jug_file.pack:MAX_PACKED_SIZE"))


def _open(url, settings):
    from jug_file.store import FileStore

    return FileStore(url.location, fsync=settings["file.fsync"], listing_cache=settings["file.listing-cache"],
                     empty_is_none=settings["file.empty-result-is-none"])


@hookimpl
def jug_store_backends():
    return [StoreBackend("file", _open, "a directory of result files (Jug 2.7 layout)", "primes.jugdata",
                         jug2_names=_JUG2_NAMES)]


@hookimpl
def jug_register_commands(cli):
    from jug_file.pack_command import pack

    cli.add_command(pack)


@hookimpl
def jug_add_settings(settings):
    settings.add("file", "fsync", type=bool, default=True,
                 help="Flush each result to disk before renaming it into place (off: faster, not crash-safe).")
    settings.add("file", "listing-cache", type=bool, default=True,
                 help="Remember each result folder's listing while the folder's time is unchanged "
                      "(off for filesystems that do not keep folder times).")
    settings.add("file", "empty-result-is-none", type=bool, default=False,
                 help="Read an empty result file as None, as Jug 2.7 writes it (for jugdirs Jug 2.7 wrote); "
                      "off: an empty file is a result whose writing was cut short, reported as corrupt.")


@hookimpl
def jug_self_check_jugdirs():
    return [SelfCheckJugdir("run.jugdata")]
