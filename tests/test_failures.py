"""A failed task is a state kept in the store: shown by every `jug status`, with
why and what it blocks; retried by the next run (not by workers running at the
same time, nor when kept); cleared by `jug cleanup --failed-only`; and read by
Jug 2.7 as its own failed lock (and the other way round)."""
import json
import os
import re
import time

import pytest

from pytest_jug import gated_failure_jugfile, lock_files, must, summary_table, with_sync

# boom fails until the file `fixed` exists, and counts its attempts; three
# tasks need it (after twice, total through them); ok does not.
FLAKY = with_sync("""\
from jug import TaskGenerator

def check(x):
    append("attempts")
    if not os.path.exists(here("fixed")):
        raise ValueError(f"bad value {x}")

@TaskGenerator
def boom(x):
    check(x)
    return x

@TaskGenerator
def ok(x):
    return x

@TaskGenerator
def after(x):
    return x

@TaskGenerator
def total(xs):
    return len(xs)

b = boom(2)
oks = [ok(i) for i in range(3)]
a = [after(b), after([b, 1])]
t = total(a + oks)
""")

HOST = os.uname().nodename


def attempts(folder):
    path = folder / "attempts"
    return path.read_text().count("x") if path.exists() else 0


def failed_lines(run):
    """The lines `jug status --failed` prints about the failed tasks."""
    text = run.stdout.split("Failed tasks (", 1)[1]
    return [line.strip() for line in text.splitlines()[1:] if line.startswith("  ")]


@pytest.fixture
def flaky(jugfile, tmp_path):
    jugfile(FLAKY, name="jf.py")
    return tmp_path


def test_failure_is_recorded_shown_and_retried(jug, flaky):
    started = time.time()
    run = jug("execute", "jf.py", "--keep-going", cwd=flaky)
    assert run.returncode == 1, run
    ended = time.time()
    jugdir = flaky / "jf.jugdata"
    (lock,) = lock_files(jugdir)
    worker_pid = int(re.match(r"PID (\d+)", (jugdir / "locks" / lock).read_text()).group(1))

    status = jug("status", "jf.py", cwd=flaky)
    assert status.returncode == 1
    assert summary_table(status.stdout)["jf.boom"] == [1, 0, 0, 0, 0], status
    assert "3 waiting tasks need a failed task (`jug status --failed` shows why)." in status.stdout, status

    failed = jug("status", "jf.py", "--failed", cwd=flaky)
    assert failed.returncode == 1
    key = lock[:12]
    assert failed_lines(failed)[:2] == [
        f"jf.boom [{key}]: ValueError: bad value 2",
        f"on {HOST} pid {worker_pid}, " + failed_lines(failed)[1].split(", ", 1)[1],
    ], failed
    assert failed_lines(failed)[1].endswith("; blocks 3 tasks"), failed
    assert "Traceback" not in failed.stdout

    verbose = jug("status", "jf.py", "--failed", "--verbose", cwd=flaky)
    assert "Traceback (most recent call last):" in verbose.stdout, verbose
    assert re.search(r'File "jf\.py", line \d+, in check', verbose.stdout), verbose
    assert "jugcore" not in verbose.stdout  # the user's frames

    data = json.loads(jug("status", "jf.py", "--json", cwd=flaky).stdout)
    assert data["failed"] == [{"name": "jf.boom", "key": lock[:-5], "error": "ValueError: bad value 2",
                               "host": HOST, "pid": worker_pid, "details": {}, "time": data["failed"][0]["time"],
                               "kept": False, "blocks": 3}]
    assert data["blocked"] == 3
    assert started <= data["failed"][0]["time"] <= ended

    # The next run retries it (and, fixed, it succeeds): no failure left anywhere.
    (flaky / "fixed").touch()
    again = jug("execute", "jf.py", cwd=flaky)
    assert again.returncode == 0, again
    assert attempts(flaky) == 2
    assert lock_files(jugdir) == []
    cleared = jug("status", "jf.py", "--failed", cwd=flaky)
    assert cleared.returncode == 0 and "No failed tasks." in cleared.stdout, cleared


def test_kept_failure_stays_until_cleanup_failed_only(jug, flaky):
    assert jug("execute", "jf.py", "--keep-failed", cwd=flaky).returncode == 1
    failed = jug("status", "jf.py", "--failed", cwd=flaky)
    assert "kept (--keep-failed): not retried" in failed_lines(failed)[1], failed
    assert json.loads(jug("status", "jf.py", "--json", cwd=flaky).stdout)["failed"][0]["kept"] is True
    (flaky / "fixed").touch()
    later = jug("execute", "jf.py", cwd=flaky)
    assert later.returncode == 1 and attempts(flaky) == 1, later  # not retried
    assert "jf.boom" in later.stderr
    assert summary_table(later.stdout)["jf.ok"] == [3, 0], later  # what does not need it ran

    dry = jug("cleanup", "jf.py", "--failed-only", "--dry-run", cwd=flaky)
    assert dry.stdout.strip() == "Would remove 1 failure locks" and len(lock_files(flaky / "jf.jugdata")) == 1
    run = jug("cleanup", "jf.py", "--failed-only", cwd=flaky)
    assert (run.returncode, run.stdout.strip()) == (0, "Removed 1 failure locks"), run
    assert lock_files(flaky / "jf.jugdata") == []
    assert "No failed tasks." in jug("status", "jf.py", "--failed", cwd=flaky).stdout
    assert jug("execute", "jf.py", cwd=flaky).returncode == 0
    assert attempts(flaky) == 2


# hold (in worker B) keeps B busy while worker A's boom fails; then B comes to boom.
RACE = gated_failure_jugfile("""\
    @TaskGenerator
    def hold():
        touch("hold_started")
        wait_for("go_hold")

    h = hold()
    b = boom()
    """)


def failure_pid(jug, folder):
    """The pid of the worker that recorded the (only) failure."""
    (failure,) = json.loads(jug("status", "jf.py", "--json", cwd=folder).stdout)["failed"]
    return failure["pid"]


def test_a_worker_does_not_retry_a_failure_newer_than_its_start(jug, jugfile, tmp_path, background):
    jugfile(RACE, name="jf.py")
    a = background("a", "execute", "jf.py", "--name", "boom")
    must(lambda: (tmp_path / "boom_started").exists(), 60, "worker A to start boom")
    b = background("b", "execute", "jf.py", "--keep-going")
    must(lambda: (tmp_path / "hold_started").exists(), 60, "worker B to start hold")
    (tmp_path / "go").touch()
    assert a.wait(60) == 1, a
    (tmp_path / "go_hold").touch()  # B now finds boom failed, after B started
    assert b.wait(60) == 1, b
    assert failure_pid(jug, tmp_path) == a.proc.pid, b  # a retry by B would have recorded B's failure
    assert "jf.boom" in b.stderr and "another worker" in b.stderr, b
    # a run started after the failure retries it
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 1
    assert failure_pid(jug, tmp_path) not in (a.proc.pid, b.proc.pid)


def test_jug27_reads_our_failure(jug, flaky, jug27):
    # boom is made first: without --keep-going our run stops there, leaving the rest
    assert jug("execute", "jf.py", cwd=flaky).returncode == 1
    ours = jug("status", "jf.py", cwd=flaky)
    theirs = jug("status", "--will-cite", "jf.py", cwd=flaky, jug=jug27)
    assert summary_table(theirs.stdout) == summary_table(ours.stdout), (ours, theirs)
    assert summary_table(theirs.stdout)["jf.boom"] == [1, 0, 0, 0, 0], theirs
    assert theirs.returncode == 1

    # Jug 2.7 runs what does not need boom, and leaves boom (another's lock) alone
    run = jug("execute", "--will-cite", "jf.py", "--nr-wait-cycles", "1", "--wait-cycle-time", "0",
              cwd=flaky, jug=jug27)
    assert summary_table(run.stdout) == {"jf.ok": [3, 0], "Total": [3, 0]}, run
    assert attempts(flaky) == 1

    cleanup = jug("cleanup", "--will-cite", "jf.py", "--failed-only", cwd=flaky, jug=jug27)
    assert cleanup.stdout.strip() == "Removed 1 failure locks", cleanup
    status = jug("status", "jf.py", "--failed", cwd=flaky)
    assert "No failed tasks." in status.stdout, status
    assert summary_table(status.stdout)["jf.boom"] == [0, 0, 1, 0, 0], status


def test_jug27_kept_failure_is_shown_and_not_retried(jug, flaky, jug27):
    run = jug("execute", "--will-cite", "jf.py", "--keep-failed", cwd=flaky, jug=jug27)
    assert run.returncode == 1, run
    assert attempts(flaky) == 1
    failed = jug("status", "jf.py", "--failed", cwd=flaky)
    assert summary_table(failed.stdout)["jf.boom"] == [1, 0, 0, 0, 0], failed
    lines = failed_lines(failed)
    assert "no reason recorded" in lines[0], failed
    assert lines[1] == "kept (--keep-failed): not retried; blocks 3 tasks", failed
    (flaky / "fixed").touch()
    ours = jug("execute", "jf.py", cwd=flaky)
    assert ours.returncode == 1 and attempts(flaky) == 1, ours
    assert summary_table(ours.stdout) == {"jf.ok": [3, 0], "Total": [3, 0]}, ours


def test_dict_store_keeps_failures(jug, flaky):
    args = ["jf.py", "--jugdir", "dict_store:run.pkl"]
    assert jug("execute", *args, "--keep-failed", cwd=flaky).returncode == 1
    failed = jug("status", *args, "--failed", cwd=flaky)
    assert failed_lines(failed)[0].endswith("jf.boom [" + failed_lines(failed)[0].split("[")[1].split("]")[0]
                                            + "]: ValueError: bad value 2"), failed
    assert failed_lines(failed)[1].startswith(f"on {HOST} pid ") and "kept" in failed_lines(failed)[1], failed
    assert jug("execute", *args, cwd=flaky).returncode == 1
    assert attempts(flaky) == 1  # kept
    assert jug("cleanup", *args, "--failed-only", cwd=flaky).stdout.strip() == "Removed 1 failure locks"
    assert jug("execute", *args, cwd=flaky).returncode == 1
    assert attempts(flaky) == 2
    assert summary_table(jug("status", *args, cwd=flaky).stdout)["jf.boom"] == [1, 0, 0, 0, 0]
    assert jug("execute", *args, cwd=flaky).returncode == 1  # an earlier run's failure: retried
    assert attempts(flaky) == 3
    (flaky / "fixed").touch()
    assert jug("execute", *args, cwd=flaky).returncode == 0
    assert attempts(flaky) == 4


def test_failed_tasks_are_listed_in_jugfile_order(jug, jugfile, tmp_path):
    jugfile("""\
        from jug import TaskGenerator

        @TaskGenerator
        def fail(i):
            raise ValueError(f"bad value {i}")

        fs = [fail(i) for i in range(6)]
        """, name="jf.py")
    assert jug("execute", "jf.py", "--keep-going", cwd=tmp_path).returncode == 1
    failed = jug("status", "jf.py", "--failed", cwd=tmp_path)
    messages = [line.split(": ", 1)[1] for line in failed_lines(failed) if line.startswith("jf.fail")]
    assert messages == [f"ValueError: bad value {i}" for i in range(6)], failed
    data = json.loads(jug("status", "jf.py", "--json", cwd=tmp_path).stdout)
    assert [f["error"] for f in data["failed"]] == messages


BROKEN_MESSAGE = """\
from jug import TaskGenerator

class Odd(Exception):
    def __str__(self):
        raise RuntimeError("no message")

@TaskGenerator
def boom():
    raise Odd()

b = boom()
"""


def test_an_exception_whose_message_cannot_be_formatted_is_still_recorded(jug, jugfile, tmp_path):
    jugfile(BROKEN_MESSAGE, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path)
    assert run.returncode == 1 and "jugcore" not in run.stderr, run  # the user's error, not a crash of ours
    assert "task jf.boom failed (it raised): Odd: (its message could not be formatted" in run.stderr, run
    failed = jug("status", "jf.py", "--failed", cwd=tmp_path)
    assert "jf.boom" in failed.stdout and "Odd" in failed.stdout, failed
