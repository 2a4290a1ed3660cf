"""The store contract across processes: locks exclusive, failures and results
seen, dead holders detected, concurrent writers never mixed."""
import time
from concurrent.futures import ThreadPoolExecutor

from jugcore.api import DEAD, LOCKED
from pytest_jug.contract.base import ContractFixtures, failed_lock, failure_record, key
from pytest_jug.store_process import payload_of

__all__ = ["ProcessContract"]


class ProcessContract(ContractFixtures):
    # --- several processes --------------------------------------------------------------
    def test_lock_is_exclusive_across_processes(self, store, spawn):
        keys = [key(i).decode() for i in range(60)]
        children = [spawn() for _ in range(3)]
        for child in children:
            child.send("get", keys=keys)
        won = [set(child.receive()["taken"]) for child in children]
        assert sum(map(len, won)) == len(keys), "a lock was taken twice, or by nobody"
        assert set().union(*won) == set(keys)
        assert not [k for k in keys if store.getlock(k.encode()).get()]
        assert store.lock_state_many([k.encode() for k in keys]) == {k.encode(): LOCKED for k in keys}
        for child in children:
            child.call("release", keys=keys)
        assert all(store.getlock(k.encode()).get() for k in keys)
        assert children[0].call("get", keys=keys) == {"taken": []}

    def test_lock_held_by_a_live_process_stays_held(self, store, spawn):
        child = spawn()
        assert child.call("get", keys=[key(0).decode()]) == {"taken": [key(0).decode()]}
        assert store.getlock(key(0)).get() is False
        assert store.getlock(key(0)).is_locked()
        assert store.remove_locks() == 1  # `jug cleanup --locks` may take it away all the same
        assert store.getlock(key(0)).get() is True
        assert child.call("get", keys=[key(0).decode()]) == {"taken": []}

    def test_fail_leaves_another_process_lock(self, store, spawn):
        child = spawn()
        assert child.call("get", keys=[key(0).decode()])["taken"]
        assert store.getlock(key(0)).fail(failure_record()) is False  # not ours to mark
        assert store.getlock(key(0)).is_locked() and not store.getlock(key(0)).is_failed()
        assert store.lock_state_many([key(0)]) == {key(0): LOCKED}
        assert child.call("fail", key=key(0).decode(), message="its own")["failed"] is True

    def test_a_failed_lock_is_released_by_anyone(self, store, spawn):
        child = spawn()
        assert child.call("get", keys=[key(0).decode()])["taken"]
        assert child.call("fail", key=key(0).decode(), message="failed elsewhere")["failed"] is True
        store.getlock(key(0)).release()  # a failure belongs to nobody
        assert not store.getlock(key(0)).is_locked() and store.getlock(key(0)).failure() is None

    def test_cleanup_and_remove_locks_take_live_holders_locks(self, store, spawn):
        child = spawn()
        assert len(child.call("get", keys=[key(0).decode(), key(1).decode()])["taken"]) == 2
        assert store.cleanup([key(1)], keep_locks=True) == 0
        assert store.getlock(key(0)).is_locked()
        assert store.cleanup([key(1)]) == 1  # `jug cleanup`: whoever holds it
        assert not store.getlock(key(0)).is_locked() and store.getlock(key(1)).is_locked()
        assert store.remove_locks(iter([key(1), key(9)])) == 1
        assert list(store.listlocks()) == []

    def test_lock_of_a_killed_process_is_dead_and_taken_over(self, store, spawn):
        self.require("dead_owners")
        child = spawn()
        assert child.call("get", keys=[key(0).decode(), key(1).decode()])["taken"]
        child.kill()
        assert store.getlock(key(1)).is_locked()  # a dead lock is a lock, until taken over or removed
        assert sorted(store.listlocks()) == sorted([key(0), key(1)])
        assert store.lock_state_many([key(0), key(1)]) == {}  # free for the next worker
        assert {k: info.state for k, info in store.lock_info_many([key(0), key(1)]).items()} == {
            key(0): DEAD, key(1): DEAD}
        assert store.getlock(key(0)).get() is True
        assert store.getlock(key(0)).get() is False  # taken over by us, and ours now
        assert store.lock_state_many([key(0)]) == {key(0): LOCKED}

    def test_failed_lock_is_seen_by_other_processes(self, store, spawn):
        child = spawn()
        assert child.call("get", keys=[key(0).decode()])["taken"]
        answer = child.call("fail", key=key(0).decode(), message="failed elsewhere")
        assert answer["failed"] is True
        assert child.exit() == 0
        lock = store.getlock(key(0))
        assert lock.is_failed() and lock.get() is False
        record = lock.failure()
        assert (record.message, record.pid) == ("failed elsewhere", child.pid)
        assert store.failures_many([key(0)]) == {key(0): record}

    def test_take_failed_is_atomic_across_processes(self, store, spawn):
        self.require("retry_failed")
        keys = [key(i) for i in range(8)]
        for k in keys:
            failed_lock(store, k, failure_record(at=time.time() - 60))
        children = [spawn() for _ in range(3)]
        for k in keys:
            for child in children:
                child.send("take_failed", key=k.decode(), recorded_before=time.time())
            winners = [child.pid for child in children if child.receive()["taken"]]
            assert len(winners) == 1, f"take_failed of {k} succeeded in {len(winners)} processes"
            assert store.getlock(k).is_locked() and not store.getlock(k).is_failed()

    def test_results_are_shared_between_processes(self, store, spawn):
        child = spawn()
        store.dump(key(0), {"from": "parent"})
        assert child.call("load", key=key(0).decode()) == {"value": repr({"from": "parent"})}
        assert child.call("load", key=key(1).decode()) == {"missing": True}
        child.call("dump_repeatedly", key=key(1).decode(), writer=7, size=10, times=1)
        assert store.load(key(1)) == payload_of(7, 10)

    def test_concurrent_writers_of_one_key(self, store, spawn):
        size, times = 256 * 1024, 20
        writers = [spawn() for _ in range(3)]
        with ThreadPoolExecutor(len(writers)) as pool:
            writing = [pool.submit(child.call, "dump_repeatedly", key=key(0).decode(), writer=number,
                                   size=size, times=times) for number, child in enumerate(writers)]
            while not all(future.done() for future in writing):
                try:
                    value = store.load(key(0))
                except KeyError:
                    continue  # no writer has finished its first dump yet
                assert value == payload_of(value["writer"], size), "a reader saw a mixed or partial result"
            for future in writing:
                future.result()
        assert store.load(key(0)) in [payload_of(number, size) for number in range(len(writers))]
        assert list(store.list()) == [key(0)]
