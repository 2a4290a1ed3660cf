"""The file store against the store contract every jug store passes."""
import pytest

from jugcore.testing.contract import StoreContract


class TestFileStoreContract(StoreContract):
    @pytest.fixture
    def jugdir(self, tmp_path):
        return str(tmp_path / "run.jugdata")
