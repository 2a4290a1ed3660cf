"""Declares the `redis`, `rediss` (TLS) and `unix` (Redis on a unix socket) schemes."""
from jugcore.api import StoreBackend, hookimpl

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
