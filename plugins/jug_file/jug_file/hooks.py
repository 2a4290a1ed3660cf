"""Declares the `file` scheme, the default for plain paths, and `jug pack`, which only file jugdirs have."""
from jugcore.plugins import hookimpl
from jugcore.store import StoreBackend


def _open(url):
    from jug_file.store import FileStore

    return FileStore(url.location)


@hookimpl
def jug_store_backends():
    return [StoreBackend("file", _open, "a directory of result files (Jug 2.7 layout)", "primes.jugdata")]


@hookimpl
def jug_register_commands(cli):
    from jug_file.pack_command import pack

    cli.add_command(pack)
