"""`jug execute --verbose info|debug`, and a jugfile's own logging handlers:
what a run tells standard logging, read from real `jug` processes."""
import re

from pytest_jug import must, with_sync

THREE = """\
from jug import TaskGenerator

@TaskGenerator
def f(x):
    return x

fs = [f(i) for i in range(3)]
"""

TASK_LINE = re.compile(r"^jug: INFO: task jf\.f \[([0-9a-f]{8})\] (started|finished) on (\S+:\d+)"
                       r"(?: in (\d+\.\d{3}) s)?$", re.M)


def test_info_logs_the_pass_and_each_task_with_its_duration_and_worker(jug, jugfile, tmp_path):
    jugfile(THREE, name="jf.py")
    run = jug("execute", "jf.py", "--verbose", "info", cwd=tmp_path)
    assert run.returncode == 0, run
    assert re.search(r"^jug: INFO: pass 1 on \S+:\d+: 3 tasks known, 0 of them done, 3 ready to run$",
                     run.stderr, re.M), run.stderr
    events = TASK_LINE.findall(run.stderr)
    keys = {key for key, *_ in events}
    assert len(keys) == 3, run.stderr
    for key in keys:  # each task starts, then finishes with its duration, on one worker
        mine = [(what, worker, seconds) for k, what, worker, seconds in events if k == key]
        assert [what for what, _, _ in mine] == ["started", "finished"], mine
        assert mine[0][1] == mine[1][1] and mine[0][2] == "" and float(mine[1][2]) >= 0, mine
    assert "DEBUG" not in run.stderr, run.stderr

    again = jug("execute", "jf.py", "--verbose", "info", cwd=tmp_path)
    assert "3 tasks known, 3 of them done, 0 ready to run" in again.stderr, again.stderr
    assert not TASK_LINE.search(again.stderr), again.stderr


def test_info_logs_failures_barriers_and_waits(background, jugfile, tmp_path):
    jugfile(with_sync("""\
        from jug import TaskGenerator, barrier

        @TaskGenerator
        def slow():
            touch("slow-started")
            wait_for("go")
            return 1

        @TaskGenerator
        def after(x):
            return x

        @TaskGenerator
        def broken():
            raise ValueError("broken on purpose")

        s = slow()
        barrier()
        a = after(s)
        b = broken()
    """), name="jf.py")
    holder = background("holder", "execute", "jf.py", "--name", "jf.slow")  # the waiter runs the rest
    must(lambda: (tmp_path / "slow-started").exists(), 60, "slow to start")
    waiter = background("waiter", "execute", "jf.py", "--keep-going", "--verbose", "info")
    must(lambda: " waits: " in waiter.stderr, 60, "the waiter to log its wait")
    assert re.search(r"^jug: INFO: \S+:\d+ waits: nothing is ready here; other workers hold 1 task it needs "
                     r"\(jf\.slow\); it gives up after 1800 s without progress$", waiter.stderr, re.M), waiter
    (tmp_path / "go").touch()
    assert holder.wait(60) == 0 and waiter.wait(60) == 1, (holder, waiter)
    log = waiter.stderr
    assert re.search(r"^jug: INFO: barrier passed on \S+:\d+ with 1 task done; pass 2 imports the jugfile again$",
                     log, re.M), log
    assert re.search(r"^jug: INFO: task jf\.broken \[[0-9a-f]{8}\] failed on \S+ after \d+\.\d{3} s: "
                     r"ValueError: broken on purpose$", log, re.M), log


def test_debug_adds_lock_and_store_decisions(jug, jugfile, tmp_path):
    jugfile(THREE, name="jf.py")
    run = jug("execute", "jf.py", "--verbose", "debug", cwd=tmp_path)
    assert run.returncode == 0, run
    taken = re.findall(r"^jug: DEBUG: lock of jf\.f \[([0-9a-f]{8})\]: taken$", run.stderr, re.M)
    released = re.findall(r"^jug: DEBUG: lock of jf\.f \[([0-9a-f]{8})\]: released$", run.stderr, re.M)
    assert len(set(taken)) == 3 and sorted(taken) == sorted(released), run.stderr
    assert "jug: DEBUG: 0 of 3 tasks of this pass have results" in run.stderr, run.stderr
    info = jug("execute", "jf.py", "--verbose", "info", cwd=tmp_path)
    assert "DEBUG" not in info.stderr, info.stderr


def test_a_jugfile_adds_its_own_handler(jug, jugfile, tmp_path):
    jugfile("""\
        import logging
        from jug import TaskGenerator

        handler = logging.FileHandler("events.log")
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        logging.getLogger("jug").addHandler(handler)
        logging.getLogger("jug").setLevel(logging.INFO)

        @TaskGenerator
        def f(x):
            return x

        fs = [f(i) for i in range(3)]
    """, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path)  # no --verbose: the jugfile asked for it
    assert run.returncode == 0, run
    events = (tmp_path / "events.log").read_text()
    assert len(re.findall(r"^jug\.execute INFO task jf\.f \[[0-9a-f]{8}\] finished on \S+ in ", events, re.M)) == 3, \
        events
    assert "INFO" not in run.stderr, run.stderr  # the handler is the jugfile's; stderr stays quiet


def test_off_nothing_is_logged(jug, jugfile, tmp_path):
    jugfile(THREE, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path)
    assert run.returncode == 0, run
    assert run.stderr == "", run.stderr
