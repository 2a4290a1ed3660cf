"""What the store contract's tests share: fixtures that open the store under test
as `jug` does (here, or in a child process), and small helpers."""
import hashlib

import pytest

from jugcore.api import FailureRecord, make_app
from pytest_jug.store_process import StoreProcess

__all__ = ["ContractFixtures", "PARTS", "key", "failure_record", "failed_lock"]

#: The parts of the contract a store may lack (``StoreContract.unsupported``).
PARTS = ("persistence", "retry_failed", "processes", "dead_owners", "run_records")


def key(i):
    """A task key like the core's: 40 hex digits, as bytes."""
    return hashlib.sha1(f"contract-key-{i}".encode()).hexdigest().encode("ascii")


def failure_record(message="deliberate\nsecond line \u2603", at=None, kept=False):
    record = FailureRecord.from_exception(RuntimeError(message), kept=kept)
    return record if at is None else record._replace(time=at)


def failed_lock(store, k, record=None):
    lock = store.getlock(k)
    assert lock.get()
    assert lock.fail(record) is True
    return lock


class ContractFixtures:
    """The fixtures; a subclass provides ``jugdir``."""

    unsupported = {}
    large_object_bytes = 64 * 2 ** 20

    # --- fixtures -----------------------------------------------------------------------
    @pytest.fixture
    def jugdir(self):
        pytest.fail(f"{type(self).__name__} must define a `jugdir` fixture returning the jugdir to test")

    @pytest.fixture
    def app(self):
        """The plugins and settings the store is opened with: the installed ones, as `jug` has them."""
        return make_app()

    @pytest.fixture
    def make_store(self, app, jugdir):
        """make() -> the jugdir opened anew; every store still open is closed at teardown."""
        unknown = sorted(set(self.unsupported) - set(PARTS))
        if unknown:
            pytest.fail(f"{type(self).__name__}.unsupported names unknown parts {unknown}; "
                        f"the parts are {', '.join(PARTS)}")
        opened = []

        def make():
            opened.append(app.open_store(jugdir))
            return opened[-1]

        make.opened = opened
        yield make
        for store in opened:
            store.close()

    @pytest.fixture
    def store(self, make_store):
        return make_store()

    @pytest.fixture
    def reopen(self, make_store):
        """reopen(store) -> ``store`` closed, and the jugdir opened again."""

        def close_and_open(store):
            store.close()
            make_store.opened.remove(store)
            return make_store()

        return close_and_open

    @pytest.fixture
    def shared(self, app, jugdir):
        """Skips the test unless the store may be shared: by processes, by two opens in one."""
        self.require("processes")
        if not app.backend_of(jugdir).shared_between_processes:
            pytest.skip("processes: the backend declares shared_between_processes=False")

    @pytest.fixture
    def spawn(self, shared, jugdir, tmp_path):
        """spawn() -> a :class:`StoreProcess` with the jugdir open; all are killed at teardown."""
        started = []

        def start():
            started.append(StoreProcess(jugdir, cwd=tmp_path))
            return started[-1]

        yield start
        for child in started:
            child.kill()

    def require(self, part):
        assert part in PARTS, part
        reason = self.unsupported.get(part)
        if reason:
            pytest.skip(f"{part}: {reason}")
