"""`jug execute` end to end: real `jug` processes on real jugdirs.

Concurrency is synchronised through files, never through sleeps: a task that
must be "in progress" creates a marker file and then waits for a "go" file
that the test creates; the test waits for conditions with a deadline.
"""
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest

from pytest_jug import (
    JUG_BIN, bvalue_barrier_jugfile, gated_failure_jugfile, lock_files, must, sample_jugfile, summary_table,
    wait_until, with_sync,
)

PYTHON = Path(sys.executable)


# --- helpers ------------------------------------------------------------------
def watch_exits(procs, timeout):
    """Poll several BackgroundJug processes until all have exited, noting when each did."""
    must(lambda: not any([p.alive() for p in procs]), timeout, "workers to exit")


def executed(run):
    return {name: cols[0] for name, cols in summary_table(run.stdout).items() if name != "Total" and cols[0]}


def loaded(run):
    return {name: cols[1] for name, cols in summary_table(run.stdout).items() if name != "Total" and cols[1]}


def result_files(jugdir):
    """Files in a file jugdir other than the locks folder."""
    jugdir = Path(jugdir)
    return sorted(str(p.relative_to(jugdir)) for p in jugdir.rglob("*")
                  if p.is_file() and p.relative_to(jugdir).parts[0] != "locks")


SIMPLE = sample_jugfile()


# --- running everything -------------------------------------------------------
def test_execute_runs_everything_then_loads(jug, jugfile, tmp_path):
    jugfile(SIMPLE, name="jf.py")
    first = jug("execute", "jf.py", cwd=tmp_path)
    assert first.returncode == 0, first
    lines = first.stdout.splitlines()
    assert lines[0].split() == ["Executed", "Loaded", "Task", "name"], first
    assert set(lines[1]) == {"-"} and len(lines[1]) == 80
    assert summary_table(first.stdout) == {"jf.double": [3, 0], "jf.total": [1, 0], "Total": [4, 0]}, first

    second = jug("execute", "jf.py", cwd=tmp_path)
    assert second.returncode == 0, second
    assert summary_table(second.stdout) == {"jf.double": [0, 3], "jf.total": [0, 1], "Total": [0, 4]}, second

    script = tmp_path / "read.py"
    script.write_text(textwrap.dedent("""\
        import jug
        store, ns = jug.init("jf.py", "jf.jugdata")
        print(jug.value(ns["result"]), jug.value(ns["doubles"]))
    """))
    read = subprocess.run([str(PYTHON), str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert read.returncode == 0, read.stderr
    assert read.stdout.split("\n")[0] == "6 [0, 2, 4]"


def test_table_matches_jug27(jug, jugfile, tmp_path, jug27):
    jugfile(SIMPLE, name="jf.py")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "jf.py").write_text(SIMPLE)
    for _ in range(2):
        ours = jug("execute", "jf.py", cwd=tmp_path)
        theirs = jug("execute", "--will-cite", "jf.py", cwd=tmp_path / "theirs", jug=jug27)
        assert ours.returncode == theirs.returncode == 0
        # Jug pads every line to 80 columns; otherwise the layout is the same.
        assert [l.rstrip() for l in ours.stdout.splitlines()] == [l.rstrip() for l in theirs.stdout.splitlines()]


ARGV_JUGFILE = """\
import json, os, sys
from jug import TaskGenerator
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "argv.json"), "w") as f:
    json.dump(sys.argv, f)

@TaskGenerator
def one():
    return 1

x = one()
"""


def test_jugfile_arguments_reach_sys_argv(jug, jugfile, tmp_path):
    jugfile(ARGV_JUGFILE, name="jf.py")
    run = jug("execute", "jf.py", "--jugdir", "d", "a", "b", "--", "--c", cwd=tmp_path)
    assert run.returncode == 0, run
    assert json.loads((tmp_path / "argv.json").read_text()) == ["jf.py", "a", "b", "--c"]
    assert (tmp_path / "d").is_dir() and not (tmp_path / "jf.jugdata").exists()
    assert executed(run) == {"jf.one": 1}


@pytest.mark.parametrize("which", ["ours", "jug27"])
def test_jugfile_arguments_like_jug27(jug, jugfile, tmp_path, which, request):
    # Jug 2.7's argparse rejects options between the jugfile and its
    # arguments ("jf.py --jugdir d a b"); with --jugdir first both agree.
    exe = request.getfixturevalue("jug27") if which == "jug27" else None
    jugfile(ARGV_JUGFILE, name="jf.py")
    run = jug("execute", "--will-cite", "--jugdir", "d", "jf.py", "a", "b", "--", "--c", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    assert json.loads((tmp_path / "argv.json").read_text()) == ["jf.py", "a", "b", "--c"]
    assert (tmp_path / "d").is_dir()


def _today_choices():
    return {datetime.now().strftime("%Y-%m-%d")}


@pytest.mark.parametrize("which", ["ours", "jug27"])
def test_jugdir_substitutions(jug, jugfile, tmp_path, which, request):
    exe = request.getfixturevalue("jug27") if which == "jug27" else None
    (tmp_path / "sub").mkdir()
    jugfile(SIMPLE, name="sub/jf.py")
    before = _today_choices()
    run = jug("execute", "--will-cite", "sub/jf.py", "--jugdir", "%(jugfile)s-%(date)s", cwd=tmp_path, jug=exe)
    dates = before | _today_choices()
    assert run.returncode == 0, run
    made = sorted(p.name for p in (tmp_path / "sub").iterdir() if p.is_dir())
    assert len(made) == 1 and made[0] in {f"jf-{d}" for d in dates}, made
    assert result_files(tmp_path / "sub" / made[0])


@pytest.mark.parametrize("which", ["ours", "jug27"])
def test_default_jugdir_is_next_to_the_jugfile(jug, jugfile, tmp_path, which, request):
    exe = request.getfixturevalue("jug27") if which == "jug27" else None
    (tmp_path / "sub").mkdir()
    jugfile(SIMPLE, name="sub/jf.py")
    run = jug("execute", "--will-cite", "sub/jf.py", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    assert (tmp_path / "sub" / "jf.jugdata").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_jugfile_name_without_py(jug, jugfile, tmp_path):
    # Jug 2.7 cuts the last three characters whatever they are ("myjob" ->
    # jugdir "my.jugdata", tasks "my.f"); we use the whole name.
    jugfile(SIMPLE, name="myjob")
    run = jug("execute", "myjob", cwd=tmp_path)
    assert run.returncode == 0, run
    assert executed(run) == {"myjob.double": 3, "myjob.total": 1}
    assert (tmp_path / "myjob.jugdata").is_dir()
    again = jug("execute", "myjob", cwd=tmp_path)
    assert loaded(again) == {"myjob.double": 3, "myjob.total": 1}, again


# --- barriers -----------------------------------------------------------------
BARRIER_JUGFILE = bvalue_barrier_jugfile("4", """\
    @TaskGenerator
    def plus(a, b):
        return a + b

    t = total(squares)
    barrier()
    final = plus(t, len(items))
    """)


def test_barrier_and_bvalue_finish_in_one_run(jug, jugfile, tmp_path):
    jugfile(BARRIER_JUGFILE, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run
    assert summary_table(run.stdout) == {
        "jf.make_list": [1, 0], "jf.plus": [1, 0], "jf.square": [4, 0], "jf.total": [1, 0], "Total": [7, 0],
    }, run
    again = jug("execute", "jf.py", cwd=tmp_path, timeout=60)
    assert again.returncode == 0, again
    assert summary_table(again.stdout) == {
        "jf.make_list": [0, 1], "jf.plus": [0, 1], "jf.square": [0, 4], "jf.total": [0, 1], "Total": [0, 7],
    }, again
    script = tmp_path / "read.py"
    script.write_text('import jug\nstore, ns = jug.init("jf.py", "jf.jugdata")\nprint(jug.value(ns["final"]))\n')
    read = subprocess.run([str(PYTHON), str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == str(0 + 1 + 4 + 9 + 4)


# --- selecting tasks ----------------------------------------------------------
SELECT_JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def alpha(x):
    return x

@TaskGenerator
def alpha_beta(x):
    return x

@TaskGenerator
def gamma(x):
    return x

a = [alpha(i) for i in range(2)]
ab = alpha_beta(0)
g = gamma(0)
"""


@pytest.mark.parametrize("args, expected", [
    (["--name", "jf.alpha"], {"jf.alpha": 2}),
    (["--name", "alpha"], {"jf.alpha": 2}),
    (["--target", "alpha"], {"jf.alpha": 2}),
    (["--name", "alpha*"], {"jf.alpha": 2, "jf.alpha_beta": 1}),
    (["--name", "?amma"], {"jf.gamma": 1}),
    (["--name", "lpha"], {}),
    (["--pattern", "lpha"], {"jf.alpha": 2, "jf.alpha_beta": 1}),
    (["--pattern", "/^jf\\.(gam|alpha_)/"], {"jf.alpha_beta": 1, "jf.gamma": 1}),
    (["--pattern", "/_b.t/"], {"jf.alpha_beta": 1}),
])
def test_task_selection(jug, jugfile, tmp_path, args, expected):
    jugfile(SELECT_JUGFILE, name="jf.py")
    run = jug("execute", "jf.py", *args, cwd=tmp_path)
    assert run.returncode == (0 if expected else 1), run  # a selection of nothing: test_execute_no_match
    assert executed(run) == expected, run
    rest = jug("execute", "jf.py", cwd=tmp_path)
    assert loaded(rest) == expected, rest
    assert sum(executed(rest).values()) == 4 - sum(expected.values())


# --- failures -----------------------------------------------------------------
FAILING = with_sync("""\
from jug import TaskGenerator

@TaskGenerator
def ok(x):
    return x

def helper(x):
    raise ValueError(f"bad value {x}")

@TaskGenerator
def boom(x):
    append("boom_attempts")
    return helper(x)

@TaskGenerator
def after(x):
    touch("after_ran")
    return x

first = ok(1)
failing = boom(2)
dependent = after(failing)
independent = [ok(i) for i in range(10, 14)]
""")


def _frames(stderr):
    return re.findall(r'^\s*File "([^"]+)", line \d+, in (\S+)', stderr, re.M)


def test_failing_task_report(jug, jugfile, tmp_path):
    jugfile(FAILING, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path)
    assert run.returncode == 1, run
    err = run.stderr
    assert "jf.boom" in err and "ValueError" in err and "bad value 2" in err, err
    assert "Traceback" in err
    frames = _frames(err)
    assert ("jf.py", "boom") in frames and ("jf.py", "helper") in frames, err
    assert all(path == "jf.py" for path, _ in frames), err
    for noise in ("jugcore", "click", "pluggy", "site-packages"):
        assert noise not in err, err
    # the dependent did not run, and without --keep-going nothing after the failure ran either
    assert not (tmp_path / "after_ran").exists()
    assert executed(run) == {"jf.ok": 1}, run


def test_failing_task_verbose_shows_jug_frames(jug, jugfile, tmp_path):
    jugfile(FAILING, name="jf.py")
    run = jug("execute", "jf.py", "--verbose", cwd=tmp_path)
    assert run.returncode == 1, run
    files = [path for path, _ in _frames(run.stderr)]
    assert any("jugcore" in f for f in files), run.stderr
    assert "jf.py" in files


def test_keep_going_runs_independent_tasks(jug, jugfile, tmp_path):
    jugfile(FAILING, name="jf.py")
    started = time.monotonic()
    run = jug("execute", "jf.py", "--keep-going", cwd=tmp_path)
    assert time.monotonic() - started < 10
    assert run.returncode == 1, run
    assert executed(run) == {"jf.ok": 5}, run
    assert not (tmp_path / "after_ran").exists()
    last = run.stderr.strip().splitlines()[-1]
    assert re.search(r"\b1 task\b.*cannot run", last) and "jf.after" in last, run.stderr


def test_keep_failed_is_not_retried(jug, jugfile, tmp_path):
    jugfile(FAILING, name="jf.py")
    first = jug("execute", "jf.py", "--keep-failed", cwd=tmp_path)
    assert first.returncode == 1, first
    status = jug("status", "jf.py", cwd=tmp_path)
    assert status.returncode == 1
    assert summary_table(status.stdout)["jf.boom"] == [1, 0, 0, 0, 0], status
    started = time.monotonic()
    later = jug("execute", "jf.py", cwd=tmp_path, timeout=30)
    assert time.monotonic() - started < 10, "a run blocked by a failed task must not wait for it"
    assert later.returncode != 0, later
    assert "jf.boom" in later.stderr, later
    assert (tmp_path / "boom_attempts").read_text().count("x") == 1
    assert not (tmp_path / "after_ran").exists()


def test_without_keep_failed_a_later_run_retries(jug, jugfile, tmp_path):
    jugfile(FAILING, name="jf.py")
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 1
    # The failure stays recorded, so every process reports it as failed ...
    assert len(lock_files(tmp_path / "jf.jugdata")) == 1
    status = jug("status", "jf.py", cwd=tmp_path)
    assert summary_table(status.stdout)["jf.boom"] == [1, 0, 0, 0, 0], status
    # ... and the next run, started after it, retries it.
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 1
    assert (tmp_path / "boom_attempts").read_text().count("x") == 2
    # As in Jug 2.7, --keep-failed keeps this run's failures; an earlier plain failure is retried.
    assert jug("execute", "jf.py", "--keep-failed", cwd=tmp_path).returncode == 1
    assert (tmp_path / "boom_attempts").read_text().count("x") == 3
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 1
    assert (tmp_path / "boom_attempts").read_text().count("x") == 3, "a kept failure is not retried"


def test_failure_exit_codes_match_jug27(jug, jugfile, tmp_path, jug27):
    # Without the dependent: Jug 2.7 --keep-going waits (12 s x 150 cycles)
    # for tasks that depend on a failed one, where we stop at once.
    text = FAILING.replace("dependent = after(failing)\n", "")
    jugfile(text, name="jf.py")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "jf.py").write_text(text)
    for args in (["--keep-going"], ["--keep-going", "--keep-failed"]):
        ours = jug("execute", "jf.py", *args, cwd=tmp_path)
        theirs = jug("execute", "--will-cite", "jf.py", *args, cwd=tmp_path / "theirs", jug=jug27)
        assert ours.returncode == theirs.returncode == 1
        assert executed(ours) == executed(theirs)


GATED_FAILURE = gated_failure_jugfile("""\
failing = boom()
dependents = [after(failing) for _ in range(1)] + [after([failing, i]) for i in range(3)]
""")


@pytest.mark.parametrize("keep_failed", [True, False])
def test_worker_waiting_on_a_failed_task_exits_at_once(jugfile, tmp_path, background, keep_failed):
    jugfile(GATED_FAILURE, name="jf.py")
    flags = ["--keep-failed"] if keep_failed else []
    a = background("a", "execute", "jf.py", *flags)
    must(lambda: (tmp_path / "boom_started").exists(), 60, "worker A to start boom")
    b = background("b", "execute", "jf.py")  # default --wait-cycle-time 12
    # B has nothing it can run: it waits for A (it must not give up)
    assert not wait_until(lambda: not b.alive(), 1.0), b
    (tmp_path / "go").touch()
    assert a.wait(30) == 1, a
    assert b.wait(10) == 1, b
    assert b.ended_at - a.ended_at < 10, b
    assert "jf.boom" in b.stderr, b
    assert executed(b) == {}, b


# --- several workers -------------------------------------------------------------
TWO_WORKERS = with_sync("""\
from jug import TaskGenerator

@TaskGenerator
def blocker():
    touch("blocker_started")
    wait_for("go")
    record("blocker_ran")
    return 1

@TaskGenerator
def work(i):
    record(f"work_{i}")
    return i

@TaskGenerator
def combine(b, ws):
    record("combine_ran")
    return b + sum(ws)

b = blocker()
ws = [work(i) for i in range(3)]
c = combine(b, ws)
""")


def test_second_worker_waits_and_finishes_promptly(jugfile, tmp_path, background):
    jugfile(TWO_WORKERS, name="jf.py")
    a = background("a", "execute", "jf.py")
    must(lambda: (tmp_path / "blocker_started").exists(), 60, "worker A to start the blocker")
    b = background("b", "execute", "jf.py")
    must(lambda: all((tmp_path / f"work_{i}").exists() for i in range(3)), 60, "worker B to run the work tasks")
    # All B could do is done: it must wait for A's blocker, not exit
    assert not wait_until(lambda: not b.alive(), 1.0), b
    (tmp_path / "go").touch()
    watch_exits([a, b], 60)
    assert a.returncode == 0, a
    assert b.returncode == 0, b
    assert b.ended_at - a.ended_at < 3, f"B idled {b.ended_at - a.ended_at:.1f} s after A finished"
    ran = {**{k: 0 for k in ("jf.blocker", "jf.work", "jf.combine")}}
    for w in (a, b):
        for name, n in executed(w).items():
            ran[name] += n
    assert ran == {"jf.blocker": 1, "jf.work": 3, "jf.combine": 1}, (a, b)
    assert executed(b).get("jf.work") == 3 and "jf.blocker" not in executed(b)


MANY = with_sync("""\
from jug import TaskGenerator

@TaskGenerator
def mark(i):
    record(f"ran/{i}")
    return i

@TaskGenerator
def total(xs):
    record("ran/total")
    return sum(xs)

marks = [mark(i) for i in range(40)]
t = total(marks)
""")


def test_jobs_run_each_task_exactly_once(jug, jugfile, tmp_path):
    jugfile(MANY, name="jf.py")
    (tmp_path / "ran").mkdir()
    run = jug("execute", "jf.py", "-j", "2", cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run
    assert sorted(os.listdir(tmp_path / "ran")) == sorted([str(i) for i in range(40)] + ["total"])
    assert "FileExistsError" not in run.stderr, run
    assert run.stdout.count("Task name") == 1, run
    assert summary_table(run.stdout) == {"jf.mark": [40, 0], "jf.total": [1, 0], "Total": [41, 0]}, run
    again = jug("execute", "jf.py", "-j", "2", cwd=tmp_path, timeout=120)
    assert again.returncode == 0, again
    assert summary_table(again.stdout) == {"jf.mark": [0, 40], "jf.total": [0, 1], "Total": [0, 41]}, again


def test_jobs_with_a_failing_task_exit_1(jug, jugfile, tmp_path):
    jugfile(FAILING.replace("range(10, 14)", "range(10, 30)"), name="jf.py")
    run = jug("execute", "jf.py", "-j", "3", cwd=tmp_path, timeout=120)
    assert run.returncode == 1, run
    assert "jf.boom" in run.stderr, run
    assert run.stdout.count("Task name") == 1, run


def test_jobs_keep_going_counts_each_task_once(jug, jugfile, tmp_path):
    # one task fails, one depends on it: however many workers tried them
    jugfile(FAILING.replace("range(10, 14)", "range(10, 30)"), name="jf.py")
    run = jug("execute", "jf.py", "-j", "3", "--keep-going", cwd=tmp_path, timeout=120)
    assert run.returncode == 1, run
    assert executed(run) == {"jf.ok": 21}, run
    assert "jf.boom" in run.stderr and "bad value 2" in run.stderr, run
    assert re.search(r"\b1 task failed", run.stderr), run
    assert re.search(r"\b1 task cannot run", run.stderr), run


# --- a worker killed mid-task ---------------------------------------------------------
KILLED = with_sync("""\
from jug import TaskGenerator

@TaskGenerator
def slow():
    touch("slow_started")
    wait_for("go")
    return 42

@TaskGenerator
def after(x):
    return x + 1

s = slow()
a = after(s)
""")


def test_sigkilled_worker_lock_is_taken_over(jug, jugfile, tmp_path, background):
    jugfile(KILLED, name="jf.py")
    victim = background("victim", "execute", "jf.py")
    must(lambda: (tmp_path / "slow_started").exists(), 60, "the worker to start the task")
    os.kill(victim.proc.pid, signal.SIGKILL)
    victim.proc.wait(10)
    assert len(lock_files(tmp_path / "jf.jugdata")) == 1  # the dead worker's lock is still there

    status = jug("status", "jf.py", cwd=tmp_path)
    assert summary_table(status.stdout)["Total"][4] == 0, f"a dead worker's task counted as Active:\n{status.stdout}"
    assert summary_table(status.stdout)["jf.slow"] == [0, 0, 1, 0, 0], status

    (tmp_path / "go").touch()
    started = time.monotonic()
    run = jug("execute", "jf.py", "--verbose", "debug", cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run
    assert time.monotonic() - started < 10
    assert executed(run) == {"jf.slow": 1, "jf.after": 1}, run
    assert re.search(rf"^jug: DEBUG: \S+\.lock: its holder is gone \(PID {victim.proc.pid} on HOSTNAME \S+\): "
                     "taken over$", run.stderr, re.M), run.stderr
    assert lock_files(tmp_path / "jf.jugdata") == []


# --- stop policies -------------------------------------------------------------------------
FIVE = """\
from jug import TaskGenerator

@TaskGenerator
def f(x):
    return x

fs = [f(i) for i in range(5)]
"""


def test_stop_file_exits_0_having_executed_nothing(jug, jugfile, tmp_path):
    jugfile(FIVE, name="jf.py")
    (tmp_path / "__jug_please_stop_running.txt").touch()
    run = jug("execute", "jf.py", cwd=tmp_path)
    assert run.returncode == 0, run
    assert summary_table(run.stdout).get("Total", [0, 0]) == [0, 0], run
    jugdir = tmp_path / "jf.jugdata"
    assert not jugdir.exists() or result_files(jugdir) == []
    ignored = jug("execute", "jf.py", "--no-check-environment", cwd=tmp_path)
    assert ignored.returncode == 0, ignored
    assert executed(ignored) == {"jf.f": 5}, ignored


def test_max_tasks(jug, jugfile, tmp_path):
    jugfile(FIVE, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path, env={"JUG_MAX_TASKS": "3"})
    assert run.returncode == 0, run
    assert executed(run) == {"jf.f": 3}, run
    rest = jug("execute", "jf.py", cwd=tmp_path, env={"JUG_MAX_TASKS": "3"})
    assert executed(rest) == {"jf.f": 2} and loaded(rest) == {"jf.f": 3}, rest


def test_no_check_environment_ignores_max_tasks(jug, jugfile, tmp_path):
    jugfile(FIVE, name="jf.py")
    run = jug("execute", "jf.py", "--no-check-environment", cwd=tmp_path, env={"JUG_MAX_TASKS": "1"})
    assert run.returncode == 0, run
    assert executed(run) == {"jf.f": 5}, run


def test_exit_if_file_exists(jug, jugfile, tmp_path):
    jugfile(FIVE, name="jf.py")
    flag = tmp_path / "stop-now"
    env = {"JUG_EXIT_IF_FILE_EXISTS": str(flag)}
    flag.touch()
    stopped = jug("execute", "jf.py", cwd=tmp_path, env=env)
    assert stopped.returncode == 0, stopped
    assert executed(stopped) == {}, stopped
    ignored = jug("execute", "jf.py", "--name", "f", "--no-check-environment", cwd=tmp_path, env=env)
    assert executed(ignored) == {"jf.f": 5}, ignored
    flag.unlink()
    (tmp_path / "jf.jugdata").rename(tmp_path / "old.jugdata")
    run = jug("execute", "jf.py", cwd=tmp_path, env=env)
    assert run.returncode == 0 and executed(run) == {"jf.f": 5}, run


def test_stop_policies_like_jug27(jug, jugfile, tmp_path, jug27):
    jugfile(FIVE, name="jf.py")
    for exe in (None, jug27):
        run = jug("execute", "--will-cite", "jf.py", "--jugdir", f"d{bool(exe)}", cwd=tmp_path,
                  env={"JUG_MAX_TASKS": "3"}, jug=exe)
        assert run.returncode == 0, run
        status = jug("status", "--will-cite", "jf.py", "--jugdir", f"d{bool(exe)}", cwd=tmp_path, jug=exe)
        assert summary_table(status.stdout)["jf.f"] == [0, 0, 2, 3, 0], status


# --- results that cannot be stored; lambdas ------------------------------------------------------
UNPICKLABLE = """\
from jug import TaskGenerator

@TaskGenerator
def make_fn(x):
    return lambda: x

@TaskGenerator
def gen(n):
    return (i for i in range(n))

@TaskGenerator
def fine(x):
    return x

a = make_fn(1)
b = gen(3)
"""


@pytest.mark.parametrize("which", ["make_fn", "gen"])
def test_unpicklable_result_fails_cleanly(jug, jugfile, tmp_path, which):
    jugfile(UNPICKLABLE, name="jf.py")
    run = jug("execute", "jf.py", "--name", which, cwd=tmp_path)
    assert run.returncode == 1, run
    assert f"jf.{which}" in run.stderr and "could not be stored" in run.stderr, run
    jugdir = tmp_path / "jf.jugdata"
    assert result_files(jugdir) == [], result_files(jugdir)
    assert len(lock_files(jugdir)) == 1  # the failure, recorded
    assert executed(run) == {}, run


@pytest.mark.parametrize("code", [
    "t = Task(lambda x: x, 1)\n",
    "f = TaskGenerator(lambda x: x)\nt = f(2)\n",
])
def test_lambda_task_is_refused(jug, jugfile, tmp_path, code):
    jugfile("from jug import Task, TaskGenerator\n" + code, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path)
    assert run.returncode != 0, run
    err = run.stderr
    assert "ValueError" in err and "lambda" in err, err
    assert all(path == "jf.py" for path, _ in _frames(err)), err
    for noise in ("jugcore", "click", "pluggy", "site-packages"):
        assert noise not in err, err
    assert not (tmp_path / "jf.jugdata").exists() or result_files(tmp_path / "jf.jugdata") == []


# --- progress ---------------------------------------------------------------------------------------
def _run_in_pty(args, cwd, timeout=60, env=None):
    import pty
    import select

    master, slave = pty.openpty()
    env = dict(os.environ, **(env or {}))
    env.pop("JUG_NO_PROGRESS", None)
    proc = subprocess.Popen([str(JUG_BIN), *args], cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                out += data
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
            raise AssertionError(f"jug under a pty did not finish in {timeout} s:\n{out!r}")
    finally:
        os.close(master)
    return proc.wait(10), out.decode(errors="replace")


def test_progress_on_a_terminal(jugfile, tmp_path):
    jugfile(FIVE, name="jf.py")
    rc, out = _run_in_pty(["execute", "jf.py"], tmp_path)
    assert rc == 0, out
    assert re.search(r"\d+/\d+ done", out), out
    assert "Executed" in out


def test_jobs_progress_on_a_terminal_counts_every_task_once(jugfile, tmp_path):
    jugfile(FIVE.replace("range(5)", "range(300)"), name="jf.py")
    rc, out = _run_in_pty(["execute", "jf.py", "-j", "2"], tmp_path)
    assert rc == 0, out
    shown = [(int(done), int(total)) for done, total in re.findall(r"(\d+)/(\d+) done", out)]
    assert shown, out
    assert all(total == 300 and done <= total for done, total in shown), shown
    assert shown[-1] == (300, 300), shown
    assert "Executed" in out


@pytest.mark.parametrize("jobs", [[], ["-j", "2"]])
def test_disabling_the_progress_plugin_turns_progress_off_on_a_terminal(jugfile, tmp_path, jobs):
    jugfile(FIVE.replace("range(5)", "range(300)"), name="jf.py")
    rc, out = _run_in_pty(["execute", "jf.py", *jobs], tmp_path, env={"JUG_DISABLE_PLUGINS": "progress"})
    assert rc == 0, out
    assert "Executed" in out
    assert " done" not in out and "\x1b[K" not in out, out


@pytest.mark.parametrize("jobs, last", [([], "pass 1 done"), (["-j", "2"], "workers done")])
def test_progress_off_a_terminal_is_whole_lines(jug, jugfile, tmp_path, jobs, last):
    jugfile(FIVE, name="jf.py")
    run = jug("execute", "jf.py", *jobs, cwd=tmp_path, env={"JUG_NO_PROGRESS": ""})
    assert run.returncode == 0, run
    assert re.search(rf"^jug: \S+ \S+ {last}: 5/5 done \(100.0%\), 0 failed, ", run.stderr, re.M), run
    assert "\r" not in run.output and "\x1b[" not in run.output, run


@pytest.mark.parametrize("jobs", [[], ["-j", "2"]])
@pytest.mark.parametrize("off", [{"JUG_EXECUTE_PROGRESS_INTERVAL": "0"}, {"JUG_NO_PROGRESS": "1"}])
def test_no_progress_off_a_terminal_when_turned_off(jug, jugfile, tmp_path, jobs, off):
    jugfile(FIVE, name="jf.py")
    run = jug("execute", "jf.py", *jobs, cwd=tmp_path, env={"JUG_NO_PROGRESS": "", **off})
    assert run.returncode == 0, run
    assert "done" not in run.stderr, run


ONE_FAILURE_COUNTED = """\
import os
from jug import TaskGenerator

@TaskGenerator
def boom(i):
    with open(os.path.join("attempts", f"{os.getpid()}-{i}"), "w"):
        pass
    raise ValueError("bad value")

@TaskGenerator
def ok(i):
    return i

oks = [ok(i) for i in range(60)]
b = boom(1)
"""


def test_jobs_run_a_failing_task_once_and_leave_it_retryable(jug, jugfile, tmp_path):
    jugfile(ONE_FAILURE_COUNTED, name="jf.py")
    (tmp_path / "attempts").mkdir()
    run = jug("execute", "jf.py", "-j", "3", "--keep-going", cwd=tmp_path, timeout=120)
    assert run.returncode == 1, run
    assert len(os.listdir(tmp_path / "attempts")) == 1, run  # siblings saw the failure, none retried
    assert run.stderr.count("bad value") == 1 or "task jf.boom failed" in run.stderr, run
    assert "earlier with --keep-failed" not in run.stderr, run
    status = jug("status", "jf.py", cwd=tmp_path)
    assert summary_table(status.stdout)["jf.boom"][0] == 1, status  # recorded as Failed; the next run retries
    again = jug("execute", "jf.py", cwd=tmp_path)
    assert again.returncode == 1 and len(os.listdir(tmp_path / "attempts")) == 2, again


def test_jobs_keep_failed_leaves_the_failure_marked(jug, jugfile, tmp_path):
    jugfile(ONE_FAILURE_COUNTED, name="jf.py")
    (tmp_path / "attempts").mkdir()
    run = jug("execute", "jf.py", "-j", "2", "--keep-going", "--keep-failed", cwd=tmp_path, timeout=120)
    assert run.returncode == 1, run
    status = jug("status", "jf.py", cwd=tmp_path)
    assert summary_table(status.stdout)["jf.boom"][0] == 1, status
