"""The store contract suite itself (pytest_jug.contract): it fails a store
that breaks the contract, naming what broke, and says why it skips a part."""
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pytest_jug import contract
from pytest_jug.contract import base as contract_base

ROOT = Path(__file__).resolve().parent.parent

BROKEN_STORE_TESTS = '''
import pickle

import pytest

from jug_dictstore.store import DictLock, DictStore
from jugcore.api import StoreBackend, hookimpl, make_app
from pytest_jug import StoreContract


class SharedLock(DictLock):
    def get(self):  # never refuses: two workers would run one task
        self.data[self.name] = 1
        return True


class BrokenStore(DictStore):
    def getlock(self, key):
        return SharedLock(self, b"lock:" + key)

    def load(self, key):  # a missing key is None, not a KeyError
        data = self.data.get(b"result:" + key)
        return None if data is None else pickle.loads(data)

    def list(self):  # locks listed as results
        return [k.split(b":", 1)[1] for k in self.data if not k.startswith(b"failure:")]


class BrokenPlugin:
    @hookimpl
    def jug_store_backends(self):
        return [StoreBackend("broken", lambda url: BrokenStore(), shared_between_processes=False)]


class TestBrokenStore(StoreContract):
    unsupported = {"persistence": "kept in memory only"}

    @pytest.fixture
    def app(self):
        return make_app(load_entrypoints=False, plugins=[("broken", BrokenPlugin())])

    @pytest.fixture
    def jugdir(self):
        return "broken:"


class TestWithoutJugdir(StoreContract):
    pass


class TestMisspeltPart(TestBrokenStore):
    unsupported = {"persistance": "a typo"}
'''


def _run_pytest(tmp_path, text, *args):
    (tmp_path / "test_broken_store.py").write_text(textwrap.dedent(text))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rfs", "-p", "no:cacheprovider",
                           "test_broken_store.py", *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)


def _failed(output, cls):
    return set(re.findall(rf"^FAILED test_broken_store.py::{cls}::(\w+)", output, re.M))


def test_contract_fails_a_broken_store_where_it_breaks(tmp_path):
    run = _run_pytest(tmp_path, BROKEN_STORE_TESTS, "-k", "TestBrokenStore")
    assert run.returncode == 1, run.stdout + run.stderr
    failed = _failed(run.stdout, "TestBrokenStore")
    assert {"test_lock_is_taken_once", "test_missing_key_is_a_key_error_naming_it",
            "test_list_has_every_result_and_nothing_else", "test_failed_lock_keeps_its_record"} <= failed, run.stdout
    assert "test_round_trip" not in " ".join(failed), run.stdout  # what works still passes
    assert re.search(r"passed", run.stdout.splitlines()[-1]), run.stdout
    assert "persistence: kept in memory only" in run.stdout
    assert "processes: the backend declares shared_between_processes=False" in run.stdout


def test_contract_without_a_jugdir_says_what_is_missing(tmp_path):
    run = _run_pytest(tmp_path, BROKEN_STORE_TESTS, "-k", "TestWithoutJugdir and test_lock_is_taken_once")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "TestWithoutJugdir must define a `jugdir` fixture" in run.stdout


def test_a_misspelt_part_is_named(tmp_path):
    run = _run_pytest(tmp_path, BROKEN_STORE_TESTS, "-k", "TestMisspeltPart and test_round_trip and None")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "TestMisspeltPart.unsupported names unknown parts ['persistance']" in run.stdout


@pytest.mark.parametrize("part", contract_base.PARTS)
def test_every_part_is_documented_and_used(part):
    assert f'``"{part}"``' in contract.__doc__
    assert f'`"{part}"`' in (ROOT / "docs" / "plugins" / "writing-a-store-plugin.md").read_text()
    sources = "".join(p.read_text() for p in Path(contract.__file__).parent.glob("*.py"))
    assert f'self.require("{part}")' in sources
