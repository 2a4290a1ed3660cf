"""FileStore and FileLock used directly, on real directories and with real processes."""
import hashlib
import multiprocessing
import os
import time
import pickle
import socket
import subprocess
import sys
import textwrap
import zlib

import numpy as np
import pytest

from jug_file import owner
from jug_file.store import FileStore
from jugcore.formats.encoding import CorruptResult
from jugcore.stores.contract import FAILED, LOCKED
from pytest_jug import one_winner_each
from pytest_jug.contract.records import run_record

NPY_MAGIC = b"\x93NUMPY"


def key(i):
    return hashlib.sha1(f"key-{i}".encode()).hexdigest().encode("ascii")


@pytest.fixture
def store(tmp_path):
    return FileStore(str(tmp_path / "jugdata"))


def temp_files(store):
    folder = os.path.join(store.path, "tempfiles")
    return os.listdir(folder) if os.path.isdir(folder) else []


# --- results -------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        0, -7, 2 ** 80, 1.5, "", "text \u2603", b"", b"\x00\xff" * 1000, [], {},
        {"a": [1, (2, 3), {"b": None}], 4: b"x"}, (1, "two", None), set(range(10)),
        list(range(100000)), np.float64(2.5), np.int8(-3),
    ],
    ids=repr,
)
def test_round_trip(store, value):
    k = key(0)
    store.dump(k, value)
    loaded = store.load(k)
    assert type(loaded) is type(value)
    assert loaded == value
    with open(store.result_path(k), "rb") as f:
        raw = f.read()
    assert zlib.decompress(raw)[:1] == b"P"  # Jug 2.7's stream: zlib of 'P' + pickle
    assert temp_files(store) == []


def test_result_path_is_jug_layout(store):
    k = key(1)
    store.dump(k, 1)
    assert store.result_path(k) == os.path.join(store.path, k[:2].decode(), k[2:].decode())
    assert os.path.isfile(store.result_path(k))


def test_none_is_never_an_empty_file(store):
    """Jug 2.7 writes None as an empty file; we write the stream of a pickled None,
    which Jug 2.7 reads as None, so that an empty file can only be a write cut short."""
    k = key(0)
    store.dump(k, None)
    with open(store.result_path(k), "rb") as f:
        raw = zlib.decompress(f.read())
    assert raw[:1] == b"P" and pickle.loads(raw[1:]) is None
    assert store.load(k) is None


def test_an_empty_result_file_is_corrupt_unless_jug27_wrote_the_jugdir(tmp_path):
    path = str(tmp_path / "jugdata")
    k = key(0)
    FileStore(path).dump(k, "placeholder")
    open(FileStore(path).result_path(k), "wb").close()
    with pytest.raises(CorruptResult, match="empty.*empty-result-is-none"):
        FileStore(path).load(k)
    assert FileStore(path, empty_is_none=True).load(k) is None


@pytest.mark.parametrize(
    "array",
    [
        np.arange(35, dtype=np.float64).reshape(5, 7),
        np.arange(24, dtype=np.int32).reshape(2, 3, 4),
        np.asfortranarray(np.arange(12, dtype=np.uint16).reshape(3, 4)),
        np.arange(20, dtype=np.int64).reshape(4, 5)[:, ::2],  # not contiguous
        np.array([], dtype=np.complex128),
        np.array(3.0),
        np.zeros((2, 2), dtype=[("a", "<i4"), ("b", "<f8")]),
        np.array([True, False]),
    ],
    ids=["float2d", "int3d", "fortran", "strided", "empty", "0d", "structured", "bool"],
)
def test_numpy_array_is_raw_npy(store, array):
    k = key(0)
    store.dump(k, array)
    with open(store.result_path(k), "rb") as f:
        assert f.read(6) == NPY_MAGIC
    loaded = store.load(k)
    assert type(loaded) is np.ndarray
    assert loaded.dtype == array.dtype and loaded.shape == array.shape
    assert np.array_equal(loaded, array)


def test_object_array_is_pickled_not_npy(store):
    array = np.empty(3, dtype=object)
    array[:] = [1, "two", [3]]
    k = key(0)
    store.dump(k, array)
    with open(store.result_path(k), "rb") as f:
        raw = f.read()
    assert raw[:6] != NPY_MAGIC
    loaded = store.load(k)
    assert loaded.dtype == object and list(loaded) == [1, "two", [3]]


def test_dump_replaces_previous_result(store):
    k = key(0)
    store.dump(k, "first")
    store.dump(k, "second")
    assert store.load(k) == "second"
    assert temp_files(store) == []


@pytest.mark.parametrize("make_value", [
    lambda tmp: (lambda: 1),
    lambda tmp: open(tmp / "an-open-file.txt", "w"),
    lambda tmp: ["a" * 100000, lambda: 2],  # fails after part of the pickle is built
], ids=["lambda", "open-file", "late-failure"])
def test_unpicklable_value_leaves_nothing(store, tmp_path, make_value):
    value = make_value(tmp_path)
    k = key(0)
    try:
        with pytest.raises(Exception):
            store.dump(k, value)
    finally:
        if hasattr(value, "close"):
            value.close()
    assert not os.path.exists(store.result_path(k))
    assert not store.can_load(k)
    assert temp_files(store) == []
    # ... and an existing result under the key survives a failed re-dump
    store.dump(k, "kept")
    with pytest.raises(Exception):
        store.dump(k, lambda: 3)
    assert store.load(k) == "kept"
    assert temp_files(store) == []


@pytest.mark.parametrize("content", [
    b"this is not a result",
    zlib.compress(b"Pnot a pickle"),
    zlib.compress(b"Xunknown prefix"),
    zlib.compress(b"P" + pickle.dumps(list(range(1000))))[:-20],  # truncated stream
    NPY_MAGIC + b"\x01\x00garbage",  # .npy magic, broken header
    b"\x00",
    b"",
    zlib.compress(b""),
    zlib.compress(b"N" + b"\x93NUMPY\x01\x00garbage"),
], ids=["text", "bad-pickle", "bad-prefix", "truncated", "bad-npy", "one-byte", "empty", "empty-stream",
        "bad-npy-in-stream"])
def test_corrupt_result_file(store, content):
    k = key(0)
    store.dump(k, "placeholder")
    path = store.result_path(k)
    with open(path, "wb") as f:
        f.write(content)
    assert store.can_load(k)
    with pytest.raises(CorruptResult) as info:
        store.load(k)
    assert path in str(info.value)


@pytest.mark.parametrize("n", [10, 200], ids=["few", "many"])
def test_can_load_many_and_list(store, n):
    keys = [key(i) for i in range(n)]
    present = set(keys[::3])
    for k in present:
        store.dump(k, k)
    # stray files that are not results
    os.makedirs(os.path.join(store.path, "zz"), exist_ok=True)
    open(os.path.join(store.path, "zz", "short"), "w").close()
    open(os.path.join(store.path, "README"), "w").close()
    store.getlock(keys[1]).get()

    assert store.can_load_many(keys) == present
    assert store.can_load_many(iter(keys)) == present
    assert store.can_load_many([]) == set()
    assert set(store.list()) == present


def test_list_of_missing_jugdir(store):
    assert set(store.list()) == set()
    assert list(store.listlocks()) == []
    assert store.can_load_many([key(i) for i in range(100)]) == set()


def test_listlocks_and_lock_state_many(store):
    held, failed, free = key(0), key(1), key(2)
    assert store.getlock(held).get()
    lock = store.getlock(failed)
    assert lock.get()
    assert lock.fail()
    assert os.stat(lock.path).st_mtime == 1
    assert lock.is_failed() and lock.is_locked()
    assert sorted(store.listlocks()) == sorted([held, failed])
    assert store.lock_state_many([held, failed, free]) == {held: LOCKED, failed: FAILED}
    store.getlock(held).release()
    assert store.lock_state_many([held, failed, free]) == {failed: FAILED}


def test_lock_api_in_one_process(store):
    lock = store.getlock(key(0))
    assert not lock.is_locked()
    assert not lock.fail()
    assert lock.get()
    assert lock.is_locked() and not lock.is_failed()
    assert not store.getlock(key(0)).get()  # our own live lock is not stale
    lock.release()
    lock.release()
    assert not lock.is_locked()
    assert lock.path == os.path.join(store.path, "locks", key(0).decode() + ".lock")


# --- locks across processes ---------------------------------------------------------
RACE_MODULE = '''
import os

def race(locks_dir, keys, barrier, results):
    from jug_file.lock import FileLock
    won = []
    for k in keys:
        barrier.wait()
        if FileLock(locks_dir, k).get():
            won.append(k)
    results.put((os.getpid(), won))
    # exits without releasing
'''


def _race_for_locks(tmp_path, monkeypatch, keys, locks_dir, n=8):
    """n processes race for every key's lock; returns {key: winner pid}, asserting one winner each."""
    if not (tmp_path / "race_helper.py").exists():
        (tmp_path / "race_helper.py").write_text(RACE_MODULE)
        monkeypatch.syspath_prepend(str(tmp_path))
    import race_helper

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(n)
    results = ctx.Queue()
    procs = [ctx.Process(target=race_helper.race, args=(locks_dir, keys, barrier, results)) for _ in range(n)]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    winners = one_winner_each(outcome)
    assert set(winners) == set(keys)
    for k, pid in winners.items():
        with open(os.path.join(locks_dir, k.decode() + ".lock")) as f:
            assert f.read().startswith(f"PID {pid} on HOSTNAME ")
    return winners


def test_lock_exclusive_across_processes(tmp_path, monkeypatch):
    keys = [key(i) for i in range(20)]
    locks_dir = str(tmp_path / "jugdata" / "locks")  # not created yet: racers create it
    _race_for_locks(tmp_path, monkeypatch, keys, locks_dir)


def test_stale_locks_are_taken_over_by_exactly_one_of_many_racers(tmp_path, monkeypatch):
    keys = [key(i) for i in range(20)]
    locks_dir = str(tmp_path / "jugdata" / "locks")
    first = _race_for_locks(tmp_path, monkeypatch, keys, locks_dir)  # the winners exit holding their locks
    second = _race_for_locks(tmp_path, monkeypatch, keys, locks_dir)  # every lock is stale now
    assert not set(first.values()) & set(second.values())
    assert not [n for n in os.listdir(locks_dir) if not n.endswith(".lock")]  # no guard left behind


LOCKER = textwrap.dedent('''
    import sys
    from jug_file.lock import FileLock
    locks_dir, key, mode = sys.argv[1:4]
    lock = FileLock(locks_dir, key.encode())
    assert lock.get()
    if mode == "fail":
        assert lock.fail()
    if mode == "hold":
        print("locked", flush=True)
        sys.stdin.read()  # held until the test closes our stdin
    # exit without releasing
''')


def lock_in_subprocess(store, k, mode):
    args = [sys.executable, "-c", LOCKER, os.path.join(store.path, "locks"), k.decode(), mode]
    if mode == "hold":
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "locked\n"
        return proc
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


def lock_text(store, k):
    with open(store.getlock(k).path) as f:
        return f.read()


def test_lock_of_exited_process_is_taken_over(store):
    k = key(0)
    lock_in_subprocess(store, k, "leave")
    assert store.getlock(k).is_locked()
    assert store.lock_state_many([k]) == {}  # stale: not reported as locked
    assert store.getlock(k).get()
    assert lock_text(store, k).startswith(f"PID {os.getpid()} on HOSTNAME ")
    assert store.lock_state_many([k]) == {k: LOCKED}
    assert not [n for n in os.listdir(os.path.join(store.path, "locks")) if not n.endswith(".lock")]


def test_lock_of_live_process_is_not_taken_over(store):
    k = key(0)
    holder = lock_in_subprocess(store, k, "hold")
    try:
        before = lock_text(store, k)
        assert f"PID {holder.pid} on HOSTNAME" in before
        assert not store.getlock(k).get()
        assert store.lock_state_many([k]) == {k: LOCKED}
        assert lock_text(store, k) == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    # once it has exited, the lock is stale
    assert store.lock_state_many([k]) == {}
    assert store.getlock(k).get()


def test_lock_of_another_host_is_not_taken_over(store):
    k = key(0)
    lock_in_subprocess(store, k, "leave")  # its pid is dead now
    path = store.getlock(k).path
    host = socket.gethostname()
    text = lock_text(store, k)
    assert f"host={host} " in text
    other = text.replace(f"HOSTNAME {host}", "HOSTNAME elsewhere.example").replace(
        f"host={host} ", "host=elsewhere.example ")
    with open(path, "w") as f:
        f.write(other)
    assert not store.getlock(k).get()
    assert store.lock_state_many([k]) == {k: LOCKED}
    assert lock_text(store, k) == other


def test_lock_written_by_jug27_is_not_taken_over(store):
    """A Jug 2.7 lock names only pid and host: nothing proves its owner is gone."""
    k = key(0)
    done = lock_in_subprocess(store, k, "leave")
    path = store.getlock(k).path
    first_line = lock_text(store, k).splitlines()[0]
    with open(path, "w") as f:
        f.write(first_line + "\nLock created on 2024-01-01 (12h00.00)\n")
    assert done.returncode == 0
    assert not store.getlock(k).get()
    assert store.lock_state_many([k]) == {k: LOCKED}


def test_empty_lock_left_by_a_writer_killed_mid_create_is_taken_over_once_old(store):
    k = key(0)
    path = store.getlock(k).path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").close()  # created, never written: what a kill between open and write leaves
    assert not store.getlock(k).get(), "a fresh empty lock may be one being written right now"
    assert store.lock_state_many([k]) == {k: LOCKED}
    old = time.time() - 120
    os.utime(path, (old, old))
    assert store.lock_state_many([k]) == {}  # dead: free to take
    assert store.getlock(k).get()
    assert lock_text(store, k).startswith(f"PID {os.getpid()} on HOSTNAME ")


def test_failed_lock_is_never_taken_over(store):
    k = key(0)
    lock_in_subprocess(store, k, "fail")  # failed, then its owner exited
    lock = store.getlock(k)
    assert lock.is_failed()
    assert not lock.get()
    assert lock.is_failed()
    assert os.stat(lock.path).st_mtime == 1
    assert store.lock_state_many([k]) == {k: FAILED}


def test_lock_taken_in_forked_child_names_the_child(store):
    """The owner line must name the process that created the lock, also after fork()."""
    assert store.getlock(key(1)).get()  # this process has written a lock already
    k = key(0)
    pid = os.fork()
    if pid == 0:  # child: take a lock and exit without releasing
        try:
            code = 0 if store.getlock(k).get() else 1
        finally:
            os._exit(locals().get("code", 2))
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    text = lock_text(store, k)
    assert text.startswith(f"PID {pid} on HOSTNAME ")
    assert f" pid={pid} " in text
    # the child is gone: its lock is stale and ours to take
    assert store.lock_state_many([k]) == {}
    assert store.getlock(k).get()


def test_owner_text_round_trip():
    text = owner.lock_text().decode()
    assert text.startswith(f"PID {os.getpid()} on HOSTNAME {socket.gethostname()}\n")
    assert not owner.is_stale(text)  # our own process is alive


@pytest.mark.parametrize("umask", [0o002, 0o022, 0o077])
def test_results_locks_and_the_pack_follow_the_umask_as_jugs_do(store, umask):
    """Jug 2.7 creates result files with open(): 0o666 less the umask (mkstemp's 0600
    would hide a group's results from each other)."""
    old = os.umask(umask)
    try:
        store.dump(key(0), "value")
        store.pack_small_results()
        store.dump(key(1), "value")
        assert store.getlock(key(2)).get()
    finally:
        os.umask(old)
    lock = os.path.join(store.path, "locks", key(2).decode() + ".lock")
    for path in (store.result_path(key(1)), os.path.join(store.path, "packs", "jugpack"), lock):
        assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask, path


# --- run records ------------------------------------------------------------------------------
def test_a_result_written_again_since_its_record_has_none(store):
    store.dump_recorded(key(0), 0, run_record())
    store.dump_recorded(key(1), 1, run_record())
    later = time.time() + 60  # as Jug 2.7 would, computing it again a minute later
    os.utime(store.result_path(key(1)), (later, later))
    assert store.records_many([key(0), key(1)]).keys() == {key(0)}


@pytest.mark.parametrize("ahead", [-3600.0, 3600.0])
def test_run_records_count_whatever_the_filesystems_clock_says(tmp_path, monkeypatch, ahead):
    """An NFS server sets the files' mtimes by its own clock: an hour off, and no record is lost."""
    import jug_file.records
    import jug_file.store

    ours = type("Clock", (), {"time": staticmethod(lambda: time.time() - ahead)})
    monkeypatch.setattr(jug_file.store, "time", ours)
    monkeypatch.setattr(jug_file.records, "time", ours)
    store = FileStore(str(tmp_path / "jugdir"))
    store.dump_recorded(key(0), 0, run_record())
    assert store.records_many([key(0)]).keys() == {key(0)}
    store.close()
