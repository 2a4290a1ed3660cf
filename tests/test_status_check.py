"""`jug status`, `jug check` and `jug sleep-until` on real jugdirs, at each stage of a run."""
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pytest_jug import (
    bvalue_barrier_jugfile, gated_failure_jugfile, lock_files, must, summary_table, wait_until, with_sync,
)

PYTHON = Path(sys.executable)

# prep -> step, the start of both STAGES and CHAIN
PREP_STEP = """\
from jug import TaskGenerator

@TaskGenerator
def prep(i):
    return i

@TaskGenerator
def step(x):
    return x + 1
"""

STAGES = with_sync(PREP_STEP + """
@TaskGenerator
def hold(xs):
    touch("hold_started")
    wait_for("go")
    return sum(xs)

p = [prep(i) for i in range(3)]
s = [step(x) for x in p]
h = hold(s)
""")

COLUMNS = ["Failed", "Waiting", "Ready", "Complete", "Active"]


def status_of(jug, tmp_path, exe=None):
    run = jug("status", "--will-cite", "jf.py", cwd=tmp_path, jug=exe)
    short = jug("status", "--will-cite", "--short", "jf.py", cwd=tmp_path, jug=exe)
    return run, short


def expect_status(jug, tmp_path, rows, short_line, code, jug27=None):
    run, short = status_of(jug, tmp_path)
    lines = run.stdout.splitlines()
    assert lines[0].split() == COLUMNS + ["Task", "name"], run
    assert summary_table(run.stdout) == rows, run
    assert run.returncode == code, run
    assert short.stdout.strip() == short_line, short
    assert short.returncode == code, short
    if jug27 is not None:  # the same jugdir seen by Jug 2.7
        theirs, theirs_short = status_of(jug, tmp_path, jug27)
        assert [l.rstrip() for l in theirs.stdout.splitlines()] == [l.rstrip() for l in lines], theirs
        assert theirs.returncode == code
        assert theirs_short.stdout.strip() == short_line


def run_stages(jug, jugfile, tmp_path, background, jug27=None):
    jugfile(STAGES, name="jf.py")
    expect_status(jug, tmp_path, {
        "jf.hold": [0, 1, 0, 0, 0], "jf.prep": [0, 0, 3, 0, 0], "jf.step": [0, 3, 0, 0, 0], "Total": [0, 4, 3, 0, 0],
    }, "7 tasks waiting to be run, 0 failed, 0 complete, (none active).", 1, jug27)

    partial = jug("execute", "jf.py", "--name", "prep", cwd=tmp_path)
    assert partial.returncode == 0, partial
    expect_status(jug, tmp_path, {
        "jf.hold": [0, 1, 0, 0, 0], "jf.prep": [0, 0, 0, 3, 0], "jf.step": [0, 0, 3, 0, 0], "Total": [0, 1, 3, 3, 0],
    }, "4 tasks waiting to be run, 0 failed, 3 complete, (none active).", 1, jug27)

    worker = background("worker", "execute", "jf.py")
    must(lambda: (tmp_path / "hold_started").exists(), 60, "the worker to start hold")
    expect_status(jug, tmp_path, {
        "jf.hold": [0, 0, 0, 0, 1], "jf.prep": [0, 0, 0, 3, 0], "jf.step": [0, 0, 0, 3, 0], "Total": [0, 0, 0, 6, 1],
    }, "0 tasks waiting to be run, 0 failed, 6 complete, (1 active).", 1, jug27)
    assert jug("check", "jf.py", cwd=tmp_path).returncode == 1

    (tmp_path / "go").touch()
    assert worker.wait(60) == 0, worker
    expect_status(jug, tmp_path, {
        "jf.hold": [0, 0, 0, 1, 0], "jf.prep": [0, 0, 0, 3, 0], "jf.step": [0, 0, 0, 3, 0], "Total": [0, 0, 0, 7, 0],
    }, "All tasks complete (7 tasks).", 0, jug27)


def test_status_at_each_stage(jug, jugfile, tmp_path, background):
    run_stages(jug, jugfile, tmp_path, background)


def test_status_at_each_stage_matches_jug27(jug, jugfile, tmp_path, background, jug27):
    run_stages(jug, jugfile, tmp_path, background, jug27)


FAILING = """\
from jug import TaskGenerator

@TaskGenerator
def ok(x):
    return x

@TaskGenerator
def boom(x):
    raise ValueError("no")

@TaskGenerator
def after(x):
    return x

a = ok(1)
b = boom(2)
c = after(b)
"""


@pytest.mark.parametrize("which", ["ours", "jug27"])
def test_status_counts_a_kept_failed_task(jug, jugfile, tmp_path, which, request):
    exe = request.getfixturevalue("jug27") if which == "jug27" else None
    jugfile(FAILING, name="jf.py")
    assert jug("execute", "jf.py", "--keep-failed", cwd=tmp_path).returncode == 1
    run, short = status_of(jug, tmp_path, exe)
    assert summary_table(run.stdout) == {
        "jf.after": [0, 1, 0, 0, 0], "jf.boom": [1, 0, 0, 0, 0], "jf.ok": [0, 0, 0, 1, 0], "Total": [1, 1, 0, 1, 0],
    }, run
    assert run.returncode == 1
    assert short.stdout.strip() == "1 tasks waiting to be run, 1 failed, 1 complete, (none active).", short


# --- check -----------------------------------------------------------------------------
def task_keys(tmp_path, expr):
    """Hashes of the tasks ``expr`` names in the jugfile's namespace ``ns``."""
    script = tmp_path / "keys.py"
    script.write_text(textwrap.dedent(f"""\
        import json, jug
        store, ns = jug.init("jf.py", "jf.jugdata")
        tasks = {expr}
        print(json.dumps([t.hash().decode() if isinstance(t.hash(), bytes) else t.hash() for t in tasks]))
    """))
    out = subprocess.run([str(PYTHON), str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def result_path(tmp_path, key):
    return tmp_path / "jf.jugdata" / key[:2] / key[2:]


CHAIN = PREP_STEP + """
@TaskGenerator
def total(xs):
    return sum(xs)

p = [prep(i) for i in range(3)]
s = [step(x) for x in p]
t = total(s)
"""


@pytest.mark.parametrize("which", ["ours", "jug27"])
def test_check_exit_codes(jug, jugfile, tmp_path, which, request):
    exe = request.getfixturevalue("jug27") if which == "jug27" else None
    jugfile(CHAIN, name="jf.py")

    def check():
        run = jug("check", "--will-cite", "jf.py", cwd=tmp_path, jug=exe)
        assert run.stdout == "", run
        return run.returncode

    assert check() == 1
    assert jug("execute", "jf.py", "--name", "prep", cwd=tmp_path).returncode == 0
    assert check() == 1
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 0
    assert check() == 0

    # A result that exists stands for everything upstream of it.
    upstream = task_keys(tmp_path, 'ns["p"] + ns["s"]')
    for key in upstream:
        result_path(tmp_path, key).unlink()
    assert check() == 0
    status = jug("status", "jf.py", cwd=tmp_path)
    assert status.returncode == 1, status  # status looks at every task

    (final,) = task_keys(tmp_path, '[ns["t"]]')
    result_path(tmp_path, final).unlink()
    assert check() == 1


BARRIER = bvalue_barrier_jugfile("3", "total = sum(bvalue(squares))\n")


@pytest.mark.parametrize("which", ["ours", "jug27"])
def test_check_through_barriers(jug, jugfile, tmp_path, which, request):
    exe = request.getfixturevalue("jug27") if which == "jug27" else None
    jugfile(BARRIER, name="jf.py")
    assert jug("check", "--will-cite", "jf.py", cwd=tmp_path, jug=exe).returncode == 1
    jug("execute", "jf.py", "--name", "make_list", cwd=tmp_path)  # stops at the barrier: square not selected
    assert jug("check", "--will-cite", "jf.py", cwd=tmp_path, jug=exe).returncode == 1
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 0
    assert jug("check", "--will-cite", "jf.py", cwd=tmp_path, jug=exe).returncode == 0
    status = jug("status", "jf.py", cwd=tmp_path)
    assert status.returncode == 0 and summary_table(status.stdout)["Total"] == [0, 0, 0, 4, 0], status


# --- sleep-until --------------------------------------------------------------------------
def sleep_until_while_a_task_runs(jugfile, tmp_path, background, text, task, flags, quiet_for):
    """A worker runs ``text`` until ``task`` has started, then `jug sleep-until`
    starts; it must keep waiting ``quiet_for`` s.  Then "go": both exit."""
    jugfile(text, name="jf.py")
    worker = background("worker", "execute", "jf.py", *flags)
    must(lambda: (tmp_path / f"{task}_started").exists(), 60, f"the worker to start {task}")
    sleeper = background("sleeper", "sleep-until", "jf.py")
    assert not wait_until(lambda: not sleeper.alive(), quiet_for), sleeper
    (tmp_path / "go").touch()
    must(lambda: not worker.alive() and not sleeper.alive(), 60, "worker and sleep-until to exit")
    return worker, sleeper


def test_sleep_until_returns_when_another_worker_finishes(jugfile, tmp_path, background):
    worker, sleeper = sleep_until_while_a_task_runs(jugfile, tmp_path, background, STAGES, "hold", [], 1.5)
    assert worker.returncode == 0, worker
    assert sleeper.returncode == 0, sleeper
    assert sleeper.ended_at - worker.ended_at < 5, f"sleep-until lagged {sleeper.ended_at - worker.ended_at:.1f} s"


def test_sleep_until_exits_1_on_a_kept_failed_task(jug, jugfile, tmp_path):
    jugfile(FAILING, name="jf.py")
    assert jug("execute", "jf.py", "--keep-failed", cwd=tmp_path).returncode == 1
    started = time.monotonic()
    run = jug("sleep-until", "jf.py", cwd=tmp_path, timeout=60)
    assert time.monotonic() - started < 10
    assert run.returncode == 1, run
    assert "jf.boom" in run.stderr and "ValueError: no" in run.stderr, run  # says why


GATED_FAILURE = gated_failure_jugfile("""\
c = after(boom())
""")


@pytest.mark.parametrize("flags", [[], ["--keep-failed"]])
def test_sleep_until_exits_1_when_a_task_fails_while_it_waits(jugfile, tmp_path, background, flags):
    worker, sleeper = sleep_until_while_a_task_runs(jugfile, tmp_path, background, GATED_FAILURE, "boom",
                                                    flags, 1.0)
    assert worker.returncode == 1, worker
    assert sleeper.returncode == 1, sleeper
    assert sleeper.ended_at - worker.ended_at < 10
    assert "jf.boom" in sleeper.stderr, sleeper
    assert len(lock_files(tmp_path / "jf.jugdata")) == 1
