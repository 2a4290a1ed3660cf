"""jug-redis: results and leased locks in a Redis server, shared by workers on many machines."""
__all__ = ["RedisStore", "RedisURL", "parse_redis_url"]


def __getattr__(attr):
    # Every `jug` command imports every plugin's hooks, and so this package: the
    # store, and redis-py (a tenth of a second), load only when a Redis store opens.
    if attr == "RedisStore":
        from jug_redis.store import RedisStore

        return RedisStore
    if attr in ("RedisURL", "parse_redis_url"):
        from jug_redis import url

        return getattr(url, attr)
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
