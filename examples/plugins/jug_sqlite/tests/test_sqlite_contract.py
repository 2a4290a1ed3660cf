"""The SQLite store against the store contract every jug store passes."""
import pytest

from pytest_jug import StoreContract


class TestSqliteStoreContract(StoreContract):
    @pytest.fixture
    def jugdir(self, tmp_path):
        return f"sqlite:{tmp_path / 'results' / 'run.db'}"
