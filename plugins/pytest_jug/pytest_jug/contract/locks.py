"""The store contract, locks in one process: taken once, failed with a record,
retried, asked about in bulk, removed."""
import time

from jugcore.api import FAILED, LOCKED
from pytest_jug.contract.base import ContractFixtures, failed_lock, failure_record, key

__all__ = ["LockContract"]


class LockContract(ContractFixtures):
    # --- locks --------------------------------------------------------------------------
    def test_lock_is_taken_once(self, store):
        lock = store.getlock(key(0))
        assert not lock.is_locked()
        assert lock.get() is True
        assert lock.is_locked() and not lock.is_failed()
        assert store.getlock(key(0)).get() is False  # another Lock object, same key
        assert lock.get() is False
        assert not store.getlock(key(1)).is_locked()
        assert not store.can_load(key(0))  # a lock is not a result
        lock.release()
        lock.release()  # releasing a free lock is harmless
        assert not lock.is_locked()
        assert store.getlock(key(0)).get() is True

    def test_failed_lock_keeps_its_record(self, store):
        record = failure_record("it broke")
        lock = failed_lock(store, key(0), record)
        assert lock.is_failed() and lock.is_locked()
        assert store.getlock(key(0)).get() is False
        assert store.getlock(key(0)).failure() == record
        assert list(store.listlocks()) == [key(0)]
        lock.release()
        assert not lock.is_locked() and not lock.is_failed()
        assert lock.failure() is None
        failed_lock(store, key(0))  # failed again, without a record: the old one is gone
        assert store.getlock(key(0)).is_failed()
        assert store.getlock(key(0)).failure() is None

    def test_fail_needs_the_lock(self, store):
        lock = store.getlock(key(0))
        assert lock.fail(failure_record()) is False  # nobody holds it: nothing to mark
        assert not lock.is_locked() and not lock.is_failed() and list(store.listlocks()) == []
        assert lock.get() is True  # and nothing was left that would keep it from being taken

    def test_failing_a_failed_lock_again_keeps_its_record(self, store):
        record = failure_record("first")
        lock = failed_lock(store, key(0), record)
        assert lock.fail(failure_record("second")) is True  # it is failed
        assert store.getlock(key(0)).failure() == record

    def test_failure_of_a_lock_that_did_not_fail_is_none(self, store):
        assert store.getlock(key(0)).failure() is None
        assert store.getlock(key(0)).get()
        assert store.getlock(key(0)).failure() is None
        assert not store.getlock(key(0)).is_failed()

    def test_take_failed_retries_only_older_failures(self, store):
        self.require("retry_failed")
        record = failure_record()
        lock = failed_lock(store, key(0), record)
        assert lock.take_failed(record.time) is False  # failed during this run
        assert store.getlock(key(0)).is_failed()
        assert store.getlock(key(0)).take_failed(record.time + 1) is True
        assert lock.is_locked() and not lock.is_failed()
        assert lock.failure() is None
        assert store.getlock(key(0)).take_failed(time.time() + 10) is False  # held, not failed
        assert store.getlock(key(1)).take_failed(time.time() + 10) is False  # free
        again = failure_record("failed again")
        assert lock.fail(again) is True  # the retry failed too: its record, not the first one
        assert store.getlock(key(0)).failure() == again
        lock.release()
        assert not store.getlock(key(0)).is_locked()

    def test_take_failed_leaves_kept_failures_and_those_without_record(self, store):
        self.require("retry_failed")
        failed_lock(store, key(0))  # as Jug 2.7 fails locks: only under --keep-failed
        failed_lock(store, key(1), failure_record(kept=True))  # jug execute --keep-failed
        for k in (key(0), key(1)):
            assert store.getlock(k).take_failed(time.time() + 10) is False
            assert store.getlock(k).is_failed()

    def test_lock_states_in_bulk(self, store):
        held, failed, free = key(0), key(1), key(2)
        record = failure_record()
        assert store.getlock(held).get()
        failed_lock(store, failed, record)
        store.dump(free, 1)
        keys = [held, failed, free]
        assert store.lock_state_many(keys) == {held: LOCKED, failed: FAILED}
        assert store.lock_state_many(iter(keys)) == {held: LOCKED, failed: FAILED}
        assert store.lock_state_many([free]) == {}
        infos = store.lock_info_many(iter(keys))
        assert set(infos) == {held, failed}
        assert infos[held].state == LOCKED and infos[failed].state == FAILED
        assert store.failures_many(iter(keys)) == {failed: record}
        assert sorted(store.listlocks()) == sorted([held, failed])

    def test_failures_many_without_records(self, store):
        failed_lock(store, key(0))
        failed_lock(store, key(1), failure_record())
        failures = store.failures_many([key(0), key(1), key(2)])
        assert set(failures) == {key(0), key(1)} and failures[key(0)] is None

    def test_remove_failed_locks(self, store):
        assert store.getlock(key(0)).get()
        for i in (1, 2, 3):
            failed_lock(store, key(i), failure_record())
        assert sorted(store.remove_failed_locks(iter([key(0), key(1), key(9)]))) == [key(1)]
        assert store.getlock(key(0)).is_locked() and not store.getlock(key(1)).is_locked()
        assert sorted(store.remove_failed_locks()) == sorted([key(2), key(3)])
        assert list(store.listlocks()) == [key(0)]
        assert store.remove_failed_locks() == []

    def test_remove_locks(self, store):
        assert store.getlock(key(0)).get()
        failed_lock(store, key(1), failure_record())
        store.dump(key(2), 2)
        assert store.remove_locks() == 2
        assert list(store.listlocks()) == []
        assert store.getlock(key(1)).failure() is None
        assert store.getlock(key(0)).get() and store.getlock(key(1)).get()
        assert store.can_load(key(2))
        assert store.remove_locks() == 2

    def test_remove_locks_of_some_keys(self, store):
        assert store.getlock(key(0)).get()
        failed_lock(store, key(1), failure_record())
        assert store.getlock(key(2)).get()
        store.dump(key(3), 3)
        assert store.remove_locks(iter([key(0), key(1), key(3), key(9)])) == 2
        assert list(store.listlocks()) == [key(2)]
        assert store.getlock(key(1)).failure() is None
        assert store.getlock(key(0)).get() and store.can_load(key(3))
