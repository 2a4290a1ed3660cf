"""Fixtures for the Redis store's tests, over the real redis-server processes of
pytest-jug's ``redis_server`` and ``new_redis_server`` fixtures."""
import hashlib

import pytest


@pytest.fixture
def redis_url(redis_server):
    """URL of a freshly flushed database of the shared server."""
    redis_server.command("FLUSHALL")
    return redis_server.url(0)


@pytest.fixture
def open_store(redis_url):
    """open(url=redis_url, query='') -> a RedisStore, closed at teardown."""
    from jug_redis import RedisStore, parse_redis_url

    opened = []

    def open_(url=None, query=""):
        url = url or redis_url
        if query:
            url += ("&" if "?" in url else "?") + query
        store = RedisStore(parse_redis_url(url))
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def task_key():
    """task_key(i) -> a task key (40 hex digits, bytes) of its own for each i."""
    return lambda i: hashlib.sha1(f"key-{i}".encode()).hexdigest().encode("ascii")
