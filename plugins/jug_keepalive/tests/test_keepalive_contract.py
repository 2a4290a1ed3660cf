"""The store contract (pytest_jug.contract) run against file_keepalive:."""
import pytest

from pytest_jug import StoreContract


class TestKeepaliveStoreContract(StoreContract):
    @pytest.fixture
    def jugdir(self, tmp_path):
        return f"file_keepalive:{tmp_path / 'jugdata'}?lease=60"
