"""pytest-jug's store contract on the jugdir `jug test-jug` passes in
``JUG_SELF_CHECK_JUGDIR`` (the parts the store lacks, as JSON, in
``JUG_SELF_CHECK_UNSUPPORTED``).  `jug test-jug` runs it with pytest in a
child process; it lives here, not in jugcore, because only pytest-jug may
need pytest."""
import json
import os

import pytest
from pytest_jug import StoreContract

from jugcore.api import fresh_jugdir, remove_leftovers


class TestStoreContract(StoreContract):
    unsupported = json.loads(os.environ.get("JUG_SELF_CHECK_UNSUPPORTED") or "{}")

    @pytest.fixture
    def jugdir(self, app, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)  # a relative jugdir is a new one for each test
        jugdir = fresh_jugdir(os.environ["JUG_SELF_CHECK_JUGDIR"])
        yield jugdir
        remove_leftovers(app, jugdir)
