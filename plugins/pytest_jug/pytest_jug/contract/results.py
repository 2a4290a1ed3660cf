"""The store contract, results: values of many types come back as they went in."""
import pytest

from jugcore.api import FAILED, LOCKED
from pytest_jug.contract.base import ContractFixtures, failed_lock, failure_record, key
from pytest_jug.contract.values import ARRAYS, VALUES, assert_same

__all__ = ["ResultContract"]


class ResultContract(ContractFixtures):
    # --- results ------------------------------------------------------------------------
    @pytest.mark.parametrize("name", VALUES)
    def test_round_trip(self, store, name):
        value = VALUES[name]
        store.dump(key(0), value)
        assert store.can_load(key(0))
        assert_same(store.load(key(0)), value)

    @pytest.mark.parametrize("name", sorted(ARRAYS))
    def test_numpy_array_round_trip(self, store, name):
        np = pytest.importorskip("numpy")
        array = ARRAYS[name](np)
        store.dump(key(0), array)
        assert_same(store.load(key(0)), array)

    def test_large_object_round_trip(self, store):
        np = pytest.importorskip("numpy")
        array = np.arange(self.large_object_bytes // 8, dtype=np.float64)
        store.dump(key(0), array)
        assert_same(store.load(key(0)), array)

    def test_dump_replaces_the_previous_result(self, store):
        store.dump(key(0), "first")
        store.dump(key(0), ["second"])
        assert store.load(key(0)) == ["second"]
        assert list(store.list()) == [key(0)]

    def test_unpicklable_value_leaves_nothing_behind(self, store):
        with pytest.raises(Exception):
            store.dump(key(0), ["a" * 100000, lambda: 1])  # fails after part of the pickle is built
        assert not store.can_load(key(0))
        assert list(store.list()) == []
        store.dump(key(0), "kept")
        with pytest.raises(Exception):
            store.dump(key(0), lambda: 2)
        assert store.load(key(0)) == "kept"

    def test_missing_key_is_a_key_error_naming_it(self, store):
        store.dump(key(1), "another")
        with pytest.raises(KeyError) as info:
            store.load(key(0))
        assert info.value.args == (key(0),), "KeyError(key), with the key the caller asked for"
        assert not store.can_load(key(0))
        assert store.remove(key(0)) is False

    @pytest.mark.parametrize("n", [10, 300], ids=["few", "many"])
    def test_can_load_many(self, store, n):
        keys = [key(i) for i in range(n)]
        present = set(keys[::3])
        for k in present:
            store.dump(k, None)
        failed_lock(store, keys[1])
        assert store.getlock(keys[2]).get()
        assert store.can_load_many(keys) == present
        assert store.can_load_many(set(keys)) == present
        assert store.can_load_many(iter(keys)) == present
        assert store.can_load_many([]) == set()
        assert store.can_load_many([key(n + 1)]) == set()

    def test_list_has_every_result_and_nothing_else(self, store):
        assert set(store.list()) == set()
        keys = {key(i) for i in range(5)}
        for k in keys:
            store.dump(k, k)
        assert store.getlock(key(10)).get()
        failed_lock(store, key(11), failure_record())
        listed = list(store.list())
        assert len(listed) == len(keys) and set(listed) == keys
        assert all(type(k) is bytes for k in listed)

    def test_remove_and_remove_many(self, store):
        for i in range(4):
            store.dump(key(i), i)
        assert store.remove(key(0)) is True
        assert store.remove(key(0)) is False
        assert not store.can_load(key(0))
        with pytest.raises(KeyError):
            store.load(key(0))
        assert store.remove_many([key(0), key(1), key(2), key(9)]) == 2
        assert set(store.list()) == {key(3)}
        assert store.remove_many([]) == 0

    def test_cleanup_keeps_active_keys(self, store):
        for i in range(6):
            store.dump(key(i), i)
        assert store.getlock(key(1)).get()
        assert store.getlock(key(4)).get()
        failed_lock(store, key(5), failure_record())
        active = [key(0), key(1), key(2)]
        assert store.cleanup(active, keep_locks=True) == 3  # results 3, 4, 5
        assert set(store.list()) == set(active)
        assert set(store.listlocks()) == {key(1), key(4), key(5)}
        assert store.cleanup(iter(active)) == 2  # locks 4 and 5
        assert set(store.listlocks()) == {key(1)}
        assert store.getlock(key(1)).is_locked()
        assert store.cleanup([]) == 4
        assert set(store.list()) == set() and set(store.listlocks()) == set()

    # --- persistence --------------------------------------------------------------------
    def test_everything_survives_close_and_reopen(self, store, reopen):
        self.require("persistence")
        record = failure_record()
        store.dump(key(0), {"a": [1, 2]})
        store.dump(key(1), None)
        assert store.getlock(key(2)).get()
        failed_lock(store, key(3), record)
        store = reopen(store)
        assert set(store.list()) == {key(0), key(1)}
        assert store.load(key(0)) == {"a": [1, 2]} and store.load(key(1)) is None
        assert store.lock_state_many([key(i) for i in range(4)]) == {key(2): LOCKED, key(3): FAILED}
        assert store.getlock(key(3)).failure() == record
        assert store.getlock(key(2)).get() is False
