"""The store contract (jugcore.testing.contract) run against file_keepalive:."""
import pytest

from jugcore.testing.contract import StoreContract


class TestKeepaliveStoreContract(StoreContract):
    @pytest.fixture
    def jugdir(self, tmp_path):
        return f"file_keepalive:{tmp_path / 'jugdata'}?lease=60"
