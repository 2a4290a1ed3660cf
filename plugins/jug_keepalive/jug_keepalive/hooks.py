"""Declares the `file_keepalive:PATH` scheme (Jug 2.7's name for it) and the
setting ``[keepalive] lease`` (``JUG_KEEPALIVE_LEASE``)."""
from jug_keepalive.lease import DEFAULT_LEASE, LEASE_SETTING, parse_location
from jugcore.api import SelfCheckJugdir, StoreBackend, hookimpl

# What `jug.backends.file_store` names for Jug 2 code that imports it.
_JUG2_NAMES = (("jug.backends.file_store.file_keepalive_store", "jug_keepalive.store:KeepaliveStore"),
               ("jug.backends.file_store.file_keepalive_based_lock", "jug_keepalive.lock:KeepaliveLock"))


def _open(url, settings):
    from jug_keepalive.store import KeepaliveStore  # loaded on use: every command loads every plugin

    path, lease = parse_location(url.raw, url.location, settings[LEASE_SETTING])
    return KeepaliveStore(path, lease=lease)


@hookimpl
def jug_store_backends():
    return [StoreBackend("file_keepalive", _open,
                         "a file jugdir whose locks expire when their worker stops beating (?lease=SECONDS)",
                         "file_keepalive:primes.jugdata?lease=300", jug2_names=_JUG2_NAMES)]


@hookimpl
def jug_add_settings(settings):
    settings.add("keepalive", "lease", type=float, default=DEFAULT_LEASE,
                 help="Seconds a file_keepalive lock lives without a heartbeat (the jugdir's ?lease= beats it).")


@hookimpl
def jug_self_check_jugdirs():
    return [SelfCheckJugdir("file_keepalive:run.jugdata?lease=60")]
