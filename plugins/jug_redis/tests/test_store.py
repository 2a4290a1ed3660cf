"""RedisStore and RedisLock used directly, against a real redis-server."""
import base64
import os
import time
import zlib

import numpy as np
import pytest
import redis

from jugcore.formats.encoding import CorruptResult
from jugcore.errors import LeaseLost
from jugcore.stores.failure_record import FailureRecord
from jugcore.host import HOSTNAME
from jugcore.stores.contract import FAILED, LOCKED
from pytest_jug import must
from pytest_jug.contract.records import run_record


@pytest.fixture
def client(redis_url):
    """A plain redis-py client on the same database, to look behind the store's back."""
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


# --- values ------------------------------------------------------------------------------
VALUES = [
    None, 0, -7, 2 ** 80, 1.5, "", "text \u2603", b"", b"\x00\xff" * 1000, [], {},
    {"a": [1, (2, 3), {"b": None}], 4: b"x"}, set(range(10)), list(range(100000)),
]


@pytest.mark.parametrize("query", ["", "prefix=proj:"], ids=["jug27-format", "raw-format"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_round_trip(open_store, task_key, value, query):
    store = open_store(query=query)
    store.dump(task_key(0), value)
    assert store.can_load(task_key(0))
    loaded = store.load(task_key(0))
    assert type(loaded) is type(value) and loaded == value


@pytest.mark.parametrize("query", ["", "prefix=proj:"], ids=["jug27-format", "raw-format"])
@pytest.mark.parametrize("array", [
    np.arange(35, dtype=np.float64).reshape(5, 7),
    np.asfortranarray(np.arange(12, dtype=np.uint16).reshape(3, 4)),
    np.zeros((2, 2), dtype=[("a", "<i4"), ("b", "<f8")]),
    np.array(3.0),
    np.random.default_rng(0).random(300_000),  # 2.4 MB: stored uncompressed, staged
    np.asfortranarray(np.random.default_rng(0).random((1000, 700))),  # 5.6 MB: read in chunks
], ids=["float2d", "fortran", "structured", "0d", "large", "huge"])
def test_numpy_round_trip(open_store, task_key, array, query):
    store = open_store(query=query)
    store.dump(task_key(1), array)
    loaded = store.load(task_key(1))
    assert type(loaded) is np.ndarray and loaded.dtype == array.dtype and np.array_equal(loaded, array)
    assert loaded.flags.writeable and loaded.flags.f_contiguous == array.flags.f_contiguous


def test_huge_value_over_a_unix_socket_with_password(new_redis_server, task_key):
    from jug_redis import RedisStore, parse_redis_url

    server = new_redis_server(unix_socket=True, password="pw")
    store = RedisStore(parse_redis_url(f"unix://:pw@{server.socket_path}?db=3&prefix=p:"))
    array = np.arange(1_000_000, dtype=np.int64)
    store.dump(task_key(0), array)
    assert np.array_equal(store.load(task_key(0)), array)
    store.close()


def test_a_password_for_a_server_without_one_is_accepted(open_store, redis_url, task_key):
    store = open_store(redis_url.replace("redis://", "redis://:unneeded@"))
    store.dump(task_key(0), "x")
    assert store.load(task_key(0)) == "x"


def test_without_prefix_values_are_jug27s_base64_stream(open_store, client, task_key):
    store = open_store()
    store.dump(task_key(0), {"x": 1})
    store.dump(task_key(1), None)
    stream = base64.b64decode(client.get(b"result:" + task_key(0)))
    assert zlib.decompress(stream)[:1] == b"P"
    assert client.get(b"result:" + task_key(1)) == b""


def test_under_a_prefix_values_are_raw(open_store, client, task_key):
    store = open_store(query="prefix=proj:")
    store.dump(task_key(0), np.arange(4))
    store.dump(task_key(1), [1, 2])
    assert client.get(b"proj:result:" + task_key(0))[:6] == b"\x93NUMPY"
    assert client.get(b"proj:result:" + task_key(1))[:1] == b"\x80"
    assert client.exists(b"result:" + task_key(0)) == 0


def test_hundred_megabyte_object_round_trips(open_store, task_key):
    store = open_store(query="prefix=big:")
    value = {"blob": b"\x01" * (100 << 20), "n": 7}
    store.dump(task_key(0), value)
    assert store.load(task_key(0)) == value


def test_corrupt_value_names_the_key(open_store, client, task_key):
    store = open_store()
    client.set(b"result:" + task_key(0), b"bm90IGEgc3RyZWFt")  # base64 of "not a stream"
    with pytest.raises(CorruptResult, match="result:" + task_key(0).decode()):
        store.load(task_key(0))


def test_missing_result_is_a_key_error(open_store, task_key):
    with pytest.raises(KeyError):
        open_store().load(task_key(0))


def test_unpicklable_value_writes_nothing(open_store, client, task_key):
    store = open_store()
    with pytest.raises(Exception):
        store.dump(task_key(0), lambda: 1)
    assert client.dbsize() == 0


# --- locks -----------------------------------------------------------------------------
def test_a_lock_is_taken_once(open_store, task_key):
    first, second = open_store(), open_store()
    assert first.getlock(task_key(0)).get()
    assert not second.getlock(task_key(0)).get()
    assert second.getlock(task_key(0)).is_locked()
    first.getlock(task_key(0)).release()
    assert second.getlock(task_key(0)).get()


def test_lock_is_jug27s_L_with_a_lease(open_store, client, task_key):
    store = open_store(query="lease=30")
    assert store.getlock(task_key(0)).get()
    assert client.get(b"lock:" + task_key(0)) == b"L"
    assert 0 < client.pttl(b"lock:" + task_key(0)) <= 30_000
    lease = client.get(b"lease:" + task_key(0)).decode().split()
    assert lease[0] == store.claims.owner.token and len(lease) == 6


def test_get_takes_the_lock_of_a_done_task_and_knows_its_result(open_store, client, task_key):
    store = open_store()
    store.dump(task_key(0), 1)
    lock = store.getlock(task_key(0))
    assert lock.get()  # a lock is a lock, result or not; the same round trip saw the result
    assert client.get(b"lock:" + task_key(0)) == b"L"
    assert store.can_load(task_key(0))
    lock.release()
    assert client.exists(b"lock:" + task_key(0)) == 0


def test_result_and_release_are_committed_together(open_store, client, task_key):
    store = open_store()
    lock = store.getlock(task_key(0))
    assert lock.get()
    assert not store.can_load(task_key(0))
    store.dump(task_key(0), "done")
    lock.release()
    # Sent with the next round trip, or by the heartbeat thread within FLUSH_DELAY
    must(lambda: client.exists(b"result:" + task_key(0)), 5, "the commit")
    assert open_store().load(task_key(0)) == "done"
    assert client.exists(b"lock:" + task_key(0), b"lease:" + task_key(0)) == 0


def test_a_lapsed_lease_is_taken_over(open_store, task_key):
    holder = open_store(query="lease=0.3")
    assert holder.getlock(task_key(0)).get()
    holder.claims._heartbeat.stop()  # as if the holder had died
    other = open_store()
    assert not other.getlock(task_key(0)).get()
    deadline = time.monotonic() + 10
    while not other.getlock(task_key(0)).get():
        assert time.monotonic() < deadline, "the lapsed lease was never taken over"
        time.sleep(0.05)


def test_heartbeat_keeps_a_lease_alive(open_store, client, task_key):
    store = open_store(query="lease=1")
    assert store.getlock(task_key(0)).get()
    deadline = time.monotonic() + 3.5  # more than three leases
    while time.monotonic() < deadline:
        assert client.exists(b"lock:" + task_key(0)), "the lease lapsed while its holder lived"
        time.sleep(0.05)


def no_longer_fresh(store, key):
    """Wait until ``store`` stops trusting its lease on ``key`` without asking the server."""
    must(lambda: not store.claims.fresh(key), 10, "the lease to be no longer fresh")


def lose_the_lease(late, client, key):
    """``late`` holds the lock of ``key`` and stops renewing it; its lease runs out."""
    assert late.getlock(key).get()
    late.claims._heartbeat.stop()
    client.delete(b"lock:" + key, b"lease:" + key)
    no_longer_fresh(late, key)


def test_a_worker_that_lost_its_lease_does_not_overwrite(open_store, client, task_key):
    late = open_store(query="lease=0.3")
    lose_the_lease(late, client, task_key(0))
    newer = open_store()
    assert newer.getlock(task_key(0)).get()  # another worker took the task over
    with pytest.raises(LeaseLost) as lost:
        late.dump(task_key(0), "stale")
    assert lost.value.holder == f"{HOSTNAME}:{os.getpid()}"  # (newer is of this process)
    late.getlock(task_key(0)).release()
    late.claims.flush()
    assert not client.exists(b"result:" + task_key(0))
    assert newer.getlock(task_key(0)).is_locked()
    newer.dump(task_key(0), "fresh")
    newer.getlock(task_key(0)).release()
    newer.claims.flush()
    assert late.load(task_key(0)) == "fresh"


def test_a_lost_lease_whose_taker_has_finished_is_lost_too(open_store, client, task_key):
    late = open_store(query="lease=0.3")
    lose_the_lease(late, client, task_key(0))
    newer = open_store()
    assert newer.getlock(task_key(0)).get()
    newer.dump(task_key(0), "fresh")
    newer.getlock(task_key(0)).release()
    newer.claims.flush()
    with pytest.raises(LeaseLost) as lost:
        late.dump(task_key(0), "stale")
    assert lost.value.holder == ""  # nobody holds it now
    assert late.load(task_key(0)) == "fresh"


def test_a_lapsed_lease_nobody_took_commits_at_once(open_store, client, task_key):
    store = open_store(query="lease=0.3")
    lose_the_lease(store, client, task_key(0))
    store.dump(task_key(0), "kept")
    assert not store.claims.pending  # sent already: a lost lease would have been said here
    assert open_store().load(task_key(0)) == "kept"


def test_a_lapsed_lease_nobody_took_still_commits(open_store, client, task_key):
    store = open_store()
    assert store.getlock(task_key(0)).get()
    client.delete(b"lock:" + task_key(0), b"lease:" + task_key(0))
    store.dump(task_key(0), "kept")
    store.getlock(task_key(0)).release()
    store.claims.flush()
    assert open_store().load(task_key(0)) == "kept"


def test_failed_lock_keeps_jugs_F_and_a_record(open_store, client, task_key):
    store = open_store()
    lock = store.getlock(task_key(0))
    assert lock.get()
    record = FailureRecord("ValueError", "bad", "Traceback...", "h", 1, 100.0)
    assert lock.fail(record)
    assert client.get(b"lock:" + task_key(0)) == b"F"
    assert client.pttl(b"lock:" + task_key(0)) == -1  # a failure does not expire
    other = open_store()
    assert other.getlock(task_key(0)).is_failed()
    assert other.getlock(task_key(0)).failure() == record
    assert other.lock_state_many([task_key(0), task_key(1)]) == {task_key(0): FAILED}
    assert other.failures_many([task_key(0)]) == {task_key(0): record}
    assert not other.getlock(task_key(0)).get()


def test_take_failed_only_takes_old_failures(open_store, task_key):
    store = open_store()
    lock = store.getlock(task_key(0))
    assert lock.get()
    lock.fail(FailureRecord("E", "m", "", "h", 1, 100.0))
    other = open_store()
    assert not other.getlock(task_key(0)).take_failed(recorded_before=50.0)
    assert other.getlock(task_key(0)).take_failed(recorded_before=200.0)
    assert not other.getlock(task_key(0)).is_failed()
    assert not open_store().getlock(task_key(0)).take_failed(recorded_before=200.0)  # taken already


def test_lock_info_names_owner_and_age(open_store, task_key):
    store = open_store()
    before = time.time()
    assert store.getlock(task_key(0)).get()
    info = open_store().lock_info_many([task_key(0), task_key(1)])
    assert list(info) == [task_key(0)]
    assert info[task_key(0)].state == LOCKED
    assert f"pid {store.claims.owner.pid}" in info[task_key(0)].owner
    assert before - 1 <= info[task_key(0)].since <= time.time()
    assert info[task_key(0)].heartbeat is not None


def test_jug27_lock_without_lease_counts_as_held(open_store, client, task_key):
    client.set(b"lock:" + task_key(0), b"L")
    store = open_store()
    assert not store.getlock(task_key(0)).get()
    assert store.lock_state_many([task_key(0)]) == {task_key(0): LOCKED}
    assert "Jug 2.7" in store.lock_info_many([task_key(0)])[task_key(0)].owner


def test_claim_ahead_takes_several_locks_in_one_round_trip(open_store, client, task_key):
    from collections import deque

    store = open_store()
    store.claims._ahead = 8
    store.claims._claimed = (time.monotonic(), 0)  # no timing yet: keep 8
    keys = deque(task_key(i) for i in range(20))
    store.dump(keys[3], "done already")
    store.prepare_locks(keys)
    assert sum(client.exists(b"lock:" + k) for k in keys) == 7  # not the one with a result
    assert store.getlock(keys[0]).get()
    assert store.getlock(keys[3]).get() and store.can_load(keys[3])  # taken when asked for
    store.getlock(keys[3]).release()
    store.close()
    assert sum(client.exists(b"lock:" + k) for k in keys) == 1  # close gives back what was not asked for


def test_claims_made_ahead_are_asked_for_again_once_their_leases_are_not_fresh(open_store, client, task_key):
    keys = [task_key(i) for i in range(3)]
    store = open_store(query="lease=0.3")
    store.claims.claim(keys)  # ahead, as prepare_locks does
    store.claims._heartbeat.stop()  # frozen: the leases run out
    client.delete(*[kind + k for k in keys for kind in (b"lock:", b"lease:")])
    other = open_store()
    assert other.getlock(keys[1]).get()  # taken over
    no_longer_fresh(store, keys[0])
    assert store.getlock(keys[0]).get()  # free: ours again, asked for at get()
    assert client.pttl(b"lock:" + keys[0]) > 0
    assert not store.getlock(keys[1]).get()  # the other worker's now: not run here
    assert other.getlock(keys[1]).is_locked() and not store.claims.holds(keys[1])


# --- bulk queries and listing -----------------------------------------------------------
def test_bulk_queries_over_many_keys(open_store, task_key):
    store = open_store()
    keys = [task_key(i) for i in range(12_000)]
    for k in keys[::3]:
        store.dump(k, 1)
    assert store.can_load_many(keys) == set(keys[::3])
    assert store.can_load_many([]) == set()
    assert sorted(store.list()) == sorted(keys[::3])
    assert store.remove_many(keys[:300]) == 100
    assert len(store.can_load_many(keys)) == 4000 - 100


def test_listing_stays_inside_the_prefix(open_store, client, task_key):
    ours, theirs = open_store(query="prefix=a*:"), open_store(query="prefix=b:")
    ours.dump(task_key(0), 1)
    theirs.dump(task_key(1), 1)
    client.set(b"a*:resultless", b"x")
    client.set(b"aXresult:" + task_key(2), b"x")  # would match an unescaped a*:
    assert ours.list() == [task_key(0)]
    assert theirs.list() == [task_key(1)]
    assert ours.owns_all_keys and not open_store().owns_all_keys


def test_remove_failed_locks_leaves_held_ones(open_store, task_key):
    store = open_store()
    for i in range(3):
        assert store.getlock(task_key(i)).get()
    store.getlock(task_key(0)).fail()
    store.getlock(task_key(1)).fail(FailureRecord("E", "m", "", "h", 1, 1.0))
    cleaner = open_store()
    assert sorted(cleaner.remove_failed_locks()) == sorted([task_key(0), task_key(1)])
    assert cleaner.lock_state_many([task_key(i) for i in range(3)]) == {task_key(2): LOCKED}


def test_cleanup_and_remove_locks(open_store, client, task_key):
    store = open_store(query="prefix=p:")
    for i in range(4):
        store.dump(task_key(i), i)
    holder = open_store(query="prefix=p:")
    assert holder.getlock(task_key(5)).get()
    client.set(b"result:" + task_key(9), b"")  # another project's, outside the prefix
    removed = store.cleanup([task_key(0), task_key(1)])
    assert removed == 3  # two results, one lock
    assert sorted(store.list()) == sorted([task_key(0), task_key(1)])
    assert client.exists(b"result:" + task_key(9))
    assert holder.getlock(task_key(6)).get()
    assert store.remove_locks() == 1
    assert store.listlocks() == []


def test_a_script_that_never_closes_still_stores_its_results(tmp_path, redis_url, client, task_key):
    import subprocess
    import sys

    script = tmp_path / "no_close.py"
    script.write_text(
        "import sys\nfrom jug_redis import RedisStore, parse_redis_url\n"
        "store = RedisStore(parse_redis_url(sys.argv[1]))\nkey = sys.argv[2].encode()\n"
        "assert store.getlock(key).get()\nstore.dump(key, 'kept')\nstore.getlock(key).release()\n")
    subprocess.run([sys.executable, str(script), redis_url, task_key(0).decode()], check=True, timeout=60)
    assert client.exists(b"result:" + task_key(0)) and not client.exists(b"lock:" + task_key(0))


def test_keys_are_asked_about_as_they_come(open_store, task_key, client):
    """`jug status` hands can_load_many its keys as it hashes them: the server
    counts the first chunk while later keys are still being made."""
    store = open_store()
    keys = [task_key(i) for i in range(12000)]
    for k in keys[:5000]:  # whole chunks done or not: one EXISTS each, no script
        store.dump(k, 1)

    def exists_calls():
        return client.info("commandstats").get("cmdstat_exists", {}).get("calls", 0)

    def answered(count):
        deadline = time.monotonic() + 5
        while exists_calls() - before < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return exists_calls() - before

    before = exists_calls()
    seen_while_hashing = []

    def as_hashed():
        for i, k in enumerate(keys):
            if i in (5000, 10000):  # 5,000 keys a chunk: the earlier chunks are on their way
                seen_while_hashing.append(answered(i // 5000))
            yield k

    assert store.can_load_many(as_hashed()) == set(keys[:5000])
    assert seen_while_hashing == [1, 2]
    assert exists_calls() - before == 3


# --- run records ----------------------------------------------------------------------------
def test_record_logs_are_folded_into_one_after_results_were_removed(open_store, client, task_key):
    first, second, remover = (open_store(query="prefix=p:") for _ in range(3))
    for i in range(3):
        first.dump_recorded(task_key(i), i, run_record(name="mod.first"))
    second.dump_recorded(task_key(3), 3, run_record(name="mod.second"))
    second.dump(task_key(2), "stored again, without a record")
    assert len(list(client.scan_iter(match="p:record-log:*"))) == 2
    expected = {task_key(1): "mod.first", task_key(3): "mod.second"}
    assert remover.remove(task_key(0))
    remover.close()
    (log,) = client.scan_iter(match="p:record-log:*")
    assert len(client.get(log).splitlines()) == 2, "only the records of results still there are kept"
    assert {k: r.name for k, r in remover.records_many([task_key(i) for i in range(4)]).items()} == expected
    first.dump_recorded(task_key(4), 4, run_record(name="mod.first"))  # a worker still running goes on
    assert first.records_many([task_key(4)]).keys() == {task_key(4)}
