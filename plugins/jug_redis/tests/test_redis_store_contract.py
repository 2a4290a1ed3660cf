"""The store contract (pytest_jug.contract), run against real redis-servers."""
import pytest

from pytest_jug import StoreContract


class TestRedisStoreContract(StoreContract):
    unsupported = {"dead_owners": "a killed holder's lock lapses with its lease, not at once "
                                  "(test_faults.py checks the take-over)"}

    @pytest.fixture
    def jugdir(self, redis_server):
        redis_server.command("FLUSHALL")
        return redis_server.url(0)


class TestPrefixedRedisStoreContract(StoreContract):
    unsupported = TestRedisStoreContract.unsupported

    @pytest.fixture
    def jugdir(self, redis_server):
        redis_server.command("FLUSHALL")
        return redis_server.url(1, "prefix=contract:")
