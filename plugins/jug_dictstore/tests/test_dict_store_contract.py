"""The dict store, in memory and saved to a file, against the store contract."""
import pytest

from pytest_jug import StoreContract


class TestInMemoryDictStoreContract(StoreContract):
    unsupported = {"persistence": "`dict_store` keeps its results in memory only"}

    @pytest.fixture
    def jugdir(self):
        return "dict_store"


class TestSavedDictStoreContract(StoreContract):
    @pytest.fixture
    def jugdir(self, tmp_path):
        return f"dict_store:{tmp_path / 'run.pkl'}"
