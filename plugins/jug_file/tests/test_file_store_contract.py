"""The file store against the store contract every jug store passes."""
import pytest

from pytest_jug import StoreContract


class TestFileStoreContract(StoreContract):
    @pytest.fixture
    def jugdir(self, tmp_path):
        return str(tmp_path / "run.jugdata")
