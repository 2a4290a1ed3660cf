"""The jug command line on a file_keepalive jugdir: `jug status --active` tells live
locks from dead ones, --keep-failed and `jug cleanup --failed-only` mean what they
mean for the file store, and a bad lease is one clear error."""
import os
import signal

from pytest_jug import gated_jugfile, must, with_sync

LEASE = 1.0

FAILING = with_sync("""\
    from jug import TaskGenerator

    @TaskGenerator
    def boom():
        append("attempts")
        raise ValueError("deliberate")

    b = boom()
""")


def jugdir(tmp_path):
    return f"file_keepalive:{tmp_path / 'jf.jugdata'}?lease={LEASE:g}"


def attempts(tmp_path):
    path = tmp_path / "attempts"
    return len(path.read_text().split()) if path.exists() else 0


def test_status_shows_a_frozen_worker_apart_until_it_beats_again(tmp_path, jugfile, jug, background):
    jugfile(gated_jugfile("s = slow()\n"), name="jf.py")
    worker = background("w", "execute", "jf.py", "--jugdir", jugdir(tmp_path))
    must(lambda: (tmp_path / "started").exists(), 60, "the worker to start the task")

    def active():
        run = jug("status", "jf.py", "--active", "--jugdir", jugdir(tmp_path), cwd=tmp_path)
        assert run.returncode in (0, 1), run
        return run.stdout

    owner = f"pid {worker.proc.pid}"
    must(lambda: "Running (1)" in active(), 30, "status to list the task as running")
    assert owner in active()
    os.kill(worker.proc.pid, signal.SIGSTOP)
    try:
        must(lambda: "Held by workers that are gone" in active(), 30, "status to call the frozen worker gone")
        assert owner in active() and "last heard" in active()
    finally:
        os.kill(worker.proc.pid, signal.SIGCONT)
    # nobody took the task over meanwhile: its heartbeat makes the lock live again
    must(lambda: "Running (1)" in active(), 30, "the worker's lock to be live again")
    (tmp_path / "go").touch()
    assert worker.wait(60) == 0, worker


def test_keep_failed_and_cleanup_failed_only(tmp_path, jugfile, jug):
    jugfile(FAILING, name="jf.py")
    args = ("jf.py", "--jugdir", jugdir(tmp_path))
    run = jug("execute", *args, "--keep-failed", cwd=tmp_path)
    assert run.returncode == 1 and "deliberate" in run.output, run
    [lock] = (tmp_path / "jf.jugdata" / "locks").iterdir()
    assert os.stat(lock).st_mtime == 1  # Jug's failed mark, never taken for a dead lease
    again = jug("execute", *args, cwd=tmp_path)
    assert again.returncode == 1, again
    assert attempts(tmp_path) == 1  # kept: not retried, however old
    status = jug("status", *args, "--failed", cwd=tmp_path)
    assert "ValueError: deliberate" in status.stdout, status

    cleanup = jug("cleanup", *args, "--failed-only", cwd=tmp_path)
    assert cleanup.returncode == 0 and "Removed 1 failure locks" in cleanup.stdout, cleanup
    assert list((tmp_path / "jf.jugdata" / "locks").iterdir()) == []
    retried = jug("execute", *args, cwd=tmp_path)
    assert retried.returncode == 1 and attempts(tmp_path) == 2, retried


def test_bad_lease_is_one_line_error(tmp_path, jugfile, jug):
    jugfile(gated_jugfile("s = slow()\n"), name="jf.py")
    run = jug("status", "jf.py", "--jugdir", f"file_keepalive:{tmp_path / 'jd'}?lease=never", cwd=tmp_path)
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == [
        f"jug: error: ?lease= in jugdir 'file_keepalive:{tmp_path / 'jd'}?lease=never' must be a positive "
        "number of seconds, not 'never' (default 300)"], run
    run = jug("status", "jf.py", "--jugdir", f"file_keepalive:{tmp_path / 'jd'}", cwd=tmp_path,
              env={"JUG_KEEPALIVE_LEASE": "0"})
    assert run.returncode != 0 and run.stderr.startswith("jug: error: the setting keepalive.lease"), run
    assert len(run.stderr.splitlines()) == 1
    assert not (tmp_path / "jd").exists()


def test_lease_from_a_jugrc_and_from_the_jugdir(tmp_path, jugfile, jug, background):
    """The setting [keepalive] lease (here from the project's .jugrc) is what locks promise,
    unless the jugdir says ?lease=."""
    jugfile(gated_jugfile("s = slow()\n"), name="jf.py")
    (tmp_path / ".jugrc").write_text("[keepalive]\nlease = 7.5\n")
    config = jug("config", "keepalive.lease", "--show-origin", cwd=tmp_path)
    assert config.stdout.startswith(f"file:{tmp_path / '.jugrc'}:"), config
    for where, lease in ((f"file_keepalive:{tmp_path / 'a'}", "7.5"), (f"file_keepalive:{tmp_path / 'b'}?lease=4", "4")):
        worker = background(f"w{lease}", "execute", "jf.py", "--jugdir", where)
        must(lambda: (tmp_path / "started").exists(), 60, "the worker to start the task")
        [lock] = (tmp_path / where.split(":")[1].split("?")[0] / "locks").iterdir()
        assert f" lease={lease} " in lock.read_text()
        (tmp_path / "go").touch()
        assert worker.wait(60) == 0, worker
        (tmp_path / "go").unlink()
        (tmp_path / "started").unlink()
