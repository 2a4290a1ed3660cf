"""One file_keepalive jugdir shared with the real Jug 2.7: results either way,
and each side's live locks respected by the other."""
import os
import subprocess
import textwrap
import time

from jug_keepalive.store import KeepaliveStore
from jugcore.stores.contract import LOCKED
from pytest_jug import gated_jugfile, must, sample_jugfile, summary_table

JUGFILE = sample_jugfile(6)
EXPECTED = sorted([2 * i for i in range(6)] + [sum(2 * i for i in range(6))])


def jugdir(tmp_path, lease=""):
    return f"file_keepalive:{tmp_path / 'jf.jugdata'}" + (f"?lease={lease}" if lease else "")


def stored_values(tmp_path):
    store = KeepaliveStore(str(tmp_path / "jf.jugdata"))
    return sorted(store.load(k) for k in store.list())


def executed_total(run):
    return summary_table(run.stdout)["Total"][0]


def test_jug27_keepalive_jugdir_is_read_by_us(tmp_path, jugfile, jug, jug27):
    jugfile(JUGFILE, name="jf.py")
    run = jug("execute", "jf.py", "--will-cite", "--jugdir", jugdir(tmp_path), cwd=tmp_path, jug=jug27)
    assert run.returncode == 0, run
    ours = jugdir(tmp_path, lease=2)
    assert jug("check", "jf.py", "--jugdir", ours, cwd=tmp_path).returncode == 0
    again = jug("execute", "jf.py", "--jugdir", ours, cwd=tmp_path)
    assert again.returncode == 0 and executed_total(again) == 0, again
    assert stored_values(tmp_path) == EXPECTED


def test_our_keepalive_jugdir_is_read_by_jug27(tmp_path, jugfile, jug, jug27):
    jugfile(JUGFILE, name="jf.py")
    run = jug("execute", "jf.py", "--jugdir", jugdir(tmp_path, lease=2), cwd=tmp_path)
    assert run.returncode == 0 and executed_total(run) == 7, run
    theirs = jugdir(tmp_path)
    check = jug("check", "jf.py", "--will-cite", "--jugdir", theirs, cwd=tmp_path, jug=jug27)
    assert check.returncode == 0, check
    status = jug("status", "jf.py", "--will-cite", "--jugdir", theirs, cwd=tmp_path, jug=jug27)
    assert summary_table(status.stdout)["Total"][3] == 7, status  # Complete
    again = jug("execute", "jf.py", "--will-cite", "--jugdir", theirs, cwd=tmp_path, jug=jug27)
    assert again.returncode == 0 and executed_total(again) == 0, again


JUG27_LOCK_STATE = textwrap.dedent("""
    import sys
    from jug.backends.file_store import file_keepalive_store
    store = file_keepalive_store(sys.argv[1])
    [key] = store.listlocks()
    lock = store.getlock(key)
    print(lock.is_locked(), lock.is_failed(), lock.get())
""")


def lock_info(tmp_path):
    store = KeepaliveStore(str(tmp_path / "jf.jugdata"), lease=1)
    infos = store.lock_info_many(store.listlocks())
    return next(iter(infos.values()), None)


def held_for(tmp_path, seconds):
    info = lock_info(tmp_path)
    return info is not None and time.time() - info.since > seconds


def test_jug27_sees_our_live_lock_held_not_failed(tmp_path, jugfile, background, jug27_python):
    jugfile(gated_jugfile("s = slow()\n"), name="jf.py")
    ours = background("ours", "execute", "jf.py", "--jugdir", jugdir(tmp_path, lease=1))
    must(lambda: held_for(tmp_path, 3), 60, "our worker to hold the task for three of its leases")
    assert lock_info(tmp_path).state == LOCKED
    seen = subprocess.run([str(jug27_python), "-c", JUG27_LOCK_STATE, str(tmp_path / "jf.jugdata")],
                          capture_output=True, text=True, cwd="/", timeout=60)
    assert seen.stdout.split() == ["True", "False", "False"], seen  # locked, not failed, not taken
    (tmp_path / "go").touch()
    assert ours.wait(60) == 0, ours


def test_we_respect_a_live_jug27_keepalive_lock(tmp_path, jugfile, jug27):
    """Jug 2.7 refreshes its locks every 5 minutes and writes no lease: it gets its own 30 minutes."""
    jugfile(gated_jugfile("s = slow()\n"), name="jf.py")
    with open(tmp_path / "jug27.out", "w") as out:
        theirs = subprocess.Popen([str(jug27), "execute", "jf.py", "--will-cite", "--jugdir", jugdir(tmp_path)],
                                  cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
        try:
            must(lambda: (tmp_path / "started").exists(), 60, "Jug 2.7 to start the task")
            assert lock_info(tmp_path).state == LOCKED
            assert lock_info(tmp_path).owner.startswith(f"PID {theirs.pid} on HOSTNAME ")
            os.utime(_only_lock(tmp_path), (time.time() - 600, time.time() - 600))  # 10 minutes quiet
            store = KeepaliveStore(str(tmp_path / "jf.jugdata"), lease=1)
            assert store.lock_state_many(store.listlocks()) == {k: LOCKED for k in store.listlocks()}
            assert not store.getlock(store.listlocks()[0]).get()
            (tmp_path / "go").touch()
            assert theirs.wait(60) == 0, (tmp_path / "jug27.out").read_text()
        finally:
            theirs.kill()
            theirs.wait()


def _only_lock(tmp_path):
    [path] = (tmp_path / "jf.jugdata" / "locks").iterdir()
    return path
