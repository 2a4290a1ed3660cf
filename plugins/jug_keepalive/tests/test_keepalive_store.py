"""KeepaliveStore and its locks used directly: leases, the heartbeat, take-over and
the no-replace commit, with real files and real (stopped, killed) processes.
Leases are short (a second or less) so that lapses happen within the test."""
import hashlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from jug_file.store import FileStore
from jug_keepalive.heartbeat import HEARTBEAT
from jug_keepalive.lease import DEFAULT_LEASE, parse_location
from jug_keepalive.store import KeepaliveStore
from jugcore.errors import JugError
from jugcore.stores.failure_record import FailureRecord
from jugcore.stores.contract import DEAD, FAILED, LOCKED
from pytest_jug import must, one_winner_each, wait_until
from pytest_jug.contract.records import run_record

LEASE = 0.6  # the heartbeat beats every 0.2 s


def key(i):
    return hashlib.sha1(f"key-{i}".encode()).hexdigest().encode("ascii")


@pytest.fixture
def store(tmp_path):
    return KeepaliveStore(str(tmp_path / "jugdata"), lease=LEASE)


@pytest.fixture(autouse=True)
def no_lock_left_held():
    HEARTBEAT.stop()
    HEARTBEAT.reset()  # earlier tests in this process may have left locks held
    yield
    assert wait_until(lambda: not HEARTBEAT.running, 5), "the heartbeat thread outlived the test's locks"


def mtime(path):
    return os.stat(path).st_mtime


def read(path):
    with open(path) as f:
        return f.read()


def age(path, seconds):
    """Make the lock at ``path`` look untouched for ``seconds``."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def debris(store):
    """Files in locks/ that are not locks, and temp files left behind."""
    locks = [n for n in os.listdir(os.path.join(store.path, "locks")) if not n.endswith(".lock")]
    temp_dir = os.path.join(store.path, "tempfiles")
    return locks + (os.listdir(temp_dir) if os.path.isdir(temp_dir) else [])


# --- where the lease comes from ----------------------------------------------------------------
def test_lease_from_url_then_setting():
    assert parse_location("file_keepalive:jd?lease=2.5", "jd?lease=2.5", 9.0) == ("jd", 2.5)
    assert parse_location("file_keepalive:jd", "jd", 9.0) == ("jd", 9.0)
    assert parse_location("file_keepalive:/a/b", "/a/b") == ("/a/b", DEFAULT_LEASE)


@pytest.mark.parametrize("location, configured, message", [
    ("jd?lease=0", 1, "?lease= in jugdir 'file_keepalive:jd?lease=0' must be a positive number of seconds"),
    ("jd?lease=soon", 1, "must be a positive number of seconds, not 'soon'"),
    ("jd?leese=3", 1, "unknown option 'leese=3'"),
    ("jd", -5.0, "the setting keepalive.lease (JUG_KEEPALIVE_LEASE, or [keepalive] lease in a jugrc) must be a "
                 "positive number of seconds, not '-5.0'"),
    ("?lease=3", 1, "names no directory"),
])
def test_bad_lease_is_a_clear_error(location, configured, message):
    with pytest.raises(JugError) as info:
        parse_location("file_keepalive:" + location, location, configured)
    assert message in str(info.value)


# --- the lock file and its heartbeat -----------------------------------------------------------
def test_lock_file_is_jugs_plus_owner_and_lease(store):
    lock = store.getlock(key(0))
    assert lock.get()
    try:
        text = read(lock.path)
        assert text.startswith(f"PID {os.getpid()} on HOSTNAME {socket.gethostname()}\nLock created on ")
        lease_line = text.splitlines()[3].split()
        assert lease_line[0] == "jugcore-lease"
        fields = dict(item.split("=") for item in lease_line[1:])
        assert len(fields["token"]) == 16 and float(fields["lease"]) == LEASE
        assert abs(float(fields["since"]) - time.time()) < 60
        assert f" pid={os.getpid()} " in text  # the owner line of the file store
        assert not lock.get()  # held already, by this very object: still ours to release
    finally:
        lock.release()
    assert not os.path.exists(lock.path)


def test_heartbeat_refreshes_held_locks_and_stops_when_none_is_held(store):
    locks = [store.getlock(key(i)) for i in range(3)]
    assert all(lock.get() for lock in locks)
    for lock in locks:
        age(lock.path, 100)
    must(lambda: all(time.time() - mtime(lock.path) < LEASE for lock in locks), 10, "heartbeats")
    assert store.lock_state_many([key(i) for i in range(3)]) == {key(i): LOCKED for i in range(3)}
    names = [t.name for t in threading.enumerate()]
    assert names.count("jug-keepalive-heartbeat") == 1  # one thread for all locks
    for lock in locks:
        lock.release()
    must(lambda: not HEARTBEAT.running, 5, "the heartbeat thread to end")


def test_heartbeat_never_refreshes_a_lock_it_no_longer_owns(store):
    lock = store.getlock(key(0))
    assert lock.get()
    theirs = read(lock.path).replace("token=", "token=f")[:-1] + "\n"  # another holder's token
    with open(lock.path, "w") as f:
        f.write(theirs)
    age(lock.path, 100)
    before = mtime(lock.path)
    must(lambda: not HEARTBEAT.holds(lock.path), 5, "the heartbeat to let the lost lock go")
    assert mtime(lock.path) == before
    lock.release()  # not ours: left alone
    assert read(lock.path) == theirs


# --- dead and live locks -----------------------------------------------------------------------
def foreign_lock(store, k, lease, seconds_ago, host="elsewhere.example"):
    """A lock written by a worker of another host (its pid cannot be checked): only its lease tells."""
    path = store.getlock(k).path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"PID 4242 on HOSTNAME {host}\nLock created on 2026-01-01 (12h00.00)\n"
                f"jugcore-owner host={host} pid=4242 boot=x start=1 pidns=y\n"
                f"jugcore-lease token=0123456789abcdef lease={lease} since={time.time() - seconds_ago}\n")
    age(path, seconds_ago)
    return path


def test_lock_past_its_lease_is_dead_and_taken_over(store):
    k = key(0)
    path = foreign_lock(store, k, lease=5, seconds_ago=6)
    assert store.lock_state_many([k]) == {}  # dead counts as free
    info = store.lock_info_many([k])[k]
    assert info.state == DEAD and info.owner == "elsewhere.example pid 4242"
    assert time.time() - info.heartbeat >= 6 and info.since <= info.heartbeat
    lock = store.getlock(k)
    assert lock.get()
    try:
        assert f"PID {os.getpid()} " in read(path)
        assert store.lock_state_many([k]) == {k: LOCKED}
        assert store.lock_info_many([k])[k].state == LOCKED
        assert debris(store) == []
    finally:
        lock.release()


def test_lease_is_the_holders_not_the_readers(store):
    """A worker started with a long lease is judged by it, whatever the reader's lease."""
    k = key(0)
    foreign_lock(store, k, lease=60, seconds_ago=30)
    assert store.lock_state_many([k]) == {k: LOCKED}
    assert not store.getlock(k).get()


@pytest.mark.parametrize("minutes, state", [(10, LOCKED), (31, DEAD)])
def test_jug27_lock_without_lease_is_judged_by_jugs_30_minutes(store, minutes, state):
    k = key(0)
    path = store.getlock(k).path
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        f.write("PID 4242 on HOSTNAME elsewhere.example\nLock created on 2026-01-01 (12h00.00)\n")
    age(path, minutes * 60)
    assert store.lock_info_many([k])[k].state == state
    lock = store.getlock(k)
    assert lock.get() == (state == DEAD)
    lock.release()
    assert os.path.exists(path) == (state == LOCKED)  # a lock we did not take is not ours to release


def test_failed_lock_is_never_dead(store):
    lock = store.getlock(key(0))
    assert lock.get()
    record = FailureRecord("ValueError", "bad", "tb", "h", 1, time.time())
    assert lock.fail(record)
    assert mtime(lock.path) == 1
    assert not HEARTBEAT.holds(lock.path)
    assert store.lock_state_many([key(0)]) == {key(0): FAILED}
    info = store.lock_info_many([key(0)])[key(0)]
    assert info.state == FAILED and info.since == record.time
    assert not store.getlock(key(0)).get()
    assert store.getlock(key(0)).failure() == record
    assert store.remove_failed_locks() == [key(0)]  # `jug cleanup --failed-only`
    assert not os.path.exists(lock.path)


# --- another process holding the lock: alive, stopped, killed ------------------------------------
HOLDER = textwrap.dedent('''
    import sys
    from jug_keepalive.store import KeepaliveStore
    from jugcore.errors import LeaseLost
    path, key, lease = sys.argv[1:4]
    store = KeepaliveStore(path, lease=float(lease))
    lock = store.getlock(key.encode())
    assert lock.get()
    print("locked", flush=True)
    if sys.stdin.readline().strip() == "fail":  # the test says when to finish, and how
        print("failed" if lock.fail() else "not failed", flush=True)
    else:
        try:
            store.dump(key.encode(), "holder's")
            outcome = "done"
        except LeaseLost as lost:
            outcome = "lease lost to " + lost.holder
        lock.release()
        print(outcome, flush=True)
''')


@pytest.fixture
def holder(store):
    procs = []

    def start(k, lease=LEASE):
        proc = subprocess.Popen([sys.executable, "-c", HOLDER, store.path, k.decode(), str(lease)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout.readline() == "locked\n"
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait()


def test_live_holder_keeps_its_lock_for_many_leases(store, holder):
    k = key(0)
    holder(k)
    dead = lambda: store.lock_info_many([k])[k].state != LOCKED  # noqa: E731
    assert not wait_until(dead, 5 * LEASE, interval=0.05)
    assert not store.getlock(k).get()


def take_over_from_stopped(store, proc, k):
    """Stop ``proc``, wait for its lease to lapse, take its lock; (our lock, its text)."""
    os.kill(proc.pid, signal.SIGSTOP)
    must(lambda: store.lock_info_many([k])[k].state == DEAD, 10, "the stopped holder's lease to lapse")
    mine = store.getlock(k)
    assert mine.get()
    return mine, read(mine.path)


def resume(proc, command):
    os.kill(proc.pid, signal.SIGCONT)
    proc.stdin.write(command + "\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


def test_stopped_holder_loses_its_lease_and_comes_back_harmlessly(store, holder):
    k = key(0)
    proc = holder(k)
    mine, ours = take_over_from_stopped(store, proc, k)
    try:
        store.dump(k, "taker's")
        assert resume(proc, "finish") == f"lease lost to {socket.gethostname()}:{os.getpid()}"
        assert proc.wait(timeout=30) == 0
        assert store.load(k) == "taker's"  # its late commit did not replace ours
        assert read(mine.path) == ours  # its release and heartbeat left our lock alone
        assert store.lock_state_many([k]) == {k: LOCKED}
        assert debris(store) == []
    finally:
        mine.release()


def test_stopped_holder_that_fails_late_leaves_the_new_holders_lock(store, holder):
    k = key(0)
    proc = holder(k)
    mine, ours = take_over_from_stopped(store, proc, k)
    try:
        assert resume(proc, "fail") == "not failed"
        assert store.lock_state_many([k]) == {k: LOCKED}
        assert read(mine.path) == ours
    finally:
        mine.release()
    assert store.listlocks() == []


def test_killed_holders_lock_is_taken_over_at_once_on_its_host(store, holder):
    k = key(0)
    proc = holder(k, lease=3600)
    proc.kill()
    proc.wait()
    assert store.lock_info_many([k])[k].state == DEAD  # its pid is gone: no need to wait for the lease
    lock = store.getlock(k)
    assert lock.get()
    lock.release()


# --- results -----------------------------------------------------------------------------------
def test_lost_lease_commit_keeps_the_committed_result(store):
    k = key(0)
    lock = store.getlock(k)
    assert lock.get()
    FileStore(store.path).dump(k, "first")  # another worker, who took the task over, commits
    store.dump(k, "late")
    assert store.load(k) == "first"
    assert debris(store) == []
    lock.release()
    store.dump(k, "replaced")  # outside a task run it is a plain store: dump replaces
    assert store.load(k) == "replaced"


def test_a_late_commit_leaves_no_run_record_for_the_result_it_did_not_make(store):
    k = key(0)
    lock = store.getlock(k)
    assert lock.get()
    FileStore(store.path).dump(k, "first")  # another worker, who took the task over, commits (no record)
    store.dump_recorded(k, "late", run_record())
    assert store.load(k) == "first" and store.records_many([k]) == {}
    lock.release()


def test_empty_lock_of_a_worker_killed_while_creating_it_expires_with_our_lease(store):
    k = key(0)
    path = store.getlock(k).path
    os.makedirs(os.path.dirname(path))
    open(path, "w").close()
    assert store.lock_state_many([k]) == {k: LOCKED}  # it may be being written right now
    age(path, LEASE + 1)
    assert store.lock_state_many([k]) == {}
    lock = store.getlock(k)
    assert lock.get()
    lock.release()


RACER = textwrap.dedent('''
    import os, sys, time
    from jug_keepalive.store import KeepaliveStore
    path, start, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
    store = KeepaliveStore(path, lease=60)
    while not os.path.exists(start):
        time.sleep(0.001)
    won = [k for k in keys if store.getlock(k.encode()).get()]
    print(" ".join(won), flush=True)
    sys.stdin.read()  # alive until every racer is done: a lock of an exited racer is fair game
    os._exit(0)
''')


def test_dead_locks_are_taken_over_by_exactly_one_of_many_racers(store, tmp_path):
    keys = [key(i) for i in range(10)]
    paths = [foreign_lock(store, k, lease=1, seconds_ago=5) for k in keys]
    start = tmp_path / "start"
    racers = [subprocess.Popen([sys.executable, "-c", RACER, store.path, str(start), *(k.decode() for k in keys)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(6)]
    start.touch()
    outcome = [(proc.pid, proc.stdout.readline().split()) for proc in racers]
    for proc in racers:
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    winners = one_winner_each(outcome)
    assert sorted(winners) == sorted(k.decode() for k in keys)
    for k, path in zip(keys, paths):
        assert read(path).startswith(f"PID {winners[k.decode()]} on HOSTNAME ")
    assert debris(store) == []
