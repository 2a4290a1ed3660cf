"""Declares the `file_keepalive:PATH` scheme (Jug 2.7's name for it)."""
import os

from jugcore.plugins import hookimpl
from jugcore.store import StoreBackend


def _open(url):
    from jug_keepalive.lease import parse_location
    from jug_keepalive.store import KeepaliveStore

    path, lease = parse_location(url.raw, url.location, os.environ)
    return KeepaliveStore(path, lease=lease)


@hookimpl
def jug_store_backends():
    return [StoreBackend("file_keepalive", _open,
                         "a file jugdir whose locks expire when their worker stops beating (?lease=SECONDS)",
                         "file_keepalive:primes.jugdata?lease=300")]
