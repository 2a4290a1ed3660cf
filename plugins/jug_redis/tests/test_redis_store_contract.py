"""The store contract (jugcore.testing.contract), run against real redis-servers."""
import pytest

from jugcore.testing.contract import StoreContract


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
