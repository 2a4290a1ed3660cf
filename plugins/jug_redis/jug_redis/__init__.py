"""jug-redis: results and leased locks in a Redis server, shared by workers on many machines."""
from jug_redis.store import RedisStore
from jug_redis.url import RedisURL, parse_redis_url

__all__ = ["RedisStore", "RedisURL", "parse_redis_url"]
