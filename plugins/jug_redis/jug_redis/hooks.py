"""Declares the `redis`, `rediss` (TLS) and `unix` (Redis on a unix socket)
schemes, and ``[redis] test-url`` (``JUG_REDIS_TEST_URL``): the server `jug
test-jug` may check the store on."""
from jugcore.api import SelfCheckJugdir, StoreBackend, hookimpl

_TEST_URL = "redis.test-url"
# A killed worker's lock lapses with its lease, not at once (test_faults.py checks the take-over).
_UNSUPPORTED = {"dead_owners": "a killed holder's lock lapses with its lease, not at once"}

# What `jug.backends.redis_store` names for Jug 2 code that imports it.
_JUG2_NAMES = (("jug.backends.redis_store.redis_store", "jug_redis.store:RedisStore"),
               ("jug.backends.redis_store.redis_lock", "jug_redis.lock:RedisLock"))


def _open(url):
    from jug_redis.store import RedisStore
    from jug_redis.url import parse_redis_url

    return RedisStore(parse_redis_url(url.raw))


@hookimpl
def jug_store_backends():
    return [
        StoreBackend("redis", _open, "a Redis server shared by workers on many machines",
                     "redis://host:6379/0?prefix=myproject:", jug2_names=_JUG2_NAMES),
        StoreBackend("rediss", _open, "a Redis server over TLS", "rediss://host:6380/0?ssl_ca_certs=ca.pem"),
        StoreBackend("unix", _open, "a Redis server on a unix socket", "unix:///run/redis.sock?db=0"),
    ]


@hookimpl
def jug_add_settings(settings):
    settings.add("redis", "test-url", type=str, default=None,
                 help="A Redis server `jug test-jug` checks the store on (redis://HOST:PORT/DB, no prefix): "
                      "its keys go under a fresh prefix and are removed afterwards.")


@hookimpl
def jug_self_check_jugdirs(settings):
    url = settings[_TEST_URL]
    schemes = [backend.scheme for backend in jug_store_backends()]
    if not url:
        why = ("no server to check on: set JUG_REDIS_TEST_URL=redis://HOST:PORT/DB ([redis] test-url); "
               "the check's keys go under a fresh prefix and are removed afterwards")
        return [SelfCheckJugdir(f"{scheme}:", skipped=why) for scheme in schemes]
    checked = url.partition(":")[0]
    prefixed = url + ("&" if "?" in url else "?") + "prefix=jug-test-jug-{unique}:"
    return [SelfCheckJugdir(prefixed, _UNSUPPORTED)] + [
        SelfCheckJugdir(f"{scheme}:", skipped=f"JUG_REDIS_TEST_URL names a {checked}: server")
        for scheme in schemes if scheme != checked]
