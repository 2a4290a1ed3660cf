"""The progress of `jug execute`, as a person sees it: in a batch log (stderr a
file, read while the run goes on) and on a terminal (a real pseudo-terminal).

Tasks that must be "in progress" wait for a "go" file that the test creates
once it has seen what it waits for; no sleeps as synchronisation."""
import re
import sys

import pytest

from pytest_jug import JUG_BIN, jug_environ, must, with_sync
from tests.support.terminal import PtySession

# While `gate` waits: 2 of 7 done (quick x2), 1 failed (broken), 4 left (gate, after x3).
GATED = with_sync("""\
    from jug import TaskGenerator

    @TaskGenerator
    def broken():
        raise ValueError("broken on purpose")

    @TaskGenerator
    def quick(i):
        return i

    @TaskGenerator
    def gate(xs):
        wait_for("go")
        return sum(xs)

    @TaskGenerator
    def after(total, i):
        return total + i

    b = broken()
    qs = [quick(i) for i in range(2)]
    g = gate(qs)
    rest = [after(g, i) for i in range(3)]
""")

CLOCK = r"(?:\d+d )?\d+:\d\d:\d\d"
LINE = re.compile(
    rf"^jug: \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d (?P<label>progress|pass \d+ done|workers done): "
    rf"(?P<done>\d+)/(?P<total>\d+) done \((?P<percent>\d+\.\d)%\), (?P<failed>\d+) failed, "
    rf"(?P<rate>no task finished yet|[\d,.]+ tasks/s|[\d.]+ (?:s|min|h)/task), "
    rf"elapsed (?P<elapsed>{CLOCK}), ETA (?P<eta>{CLOCK}|unknown)$", re.M)


def seconds(clock):
    days, _, hms = clock.rpartition("d ")
    h, m, s = map(int, hms.split(":"))
    return int(days or 0) * 86400 + h * 3600 + m * 60 + s


def seconds_per_task(rate):
    number, unit = rate.split(" ")
    number = float(number.replace(",", ""))
    return {"tasks/s": 1 / number, "s/task": number, "min/task": 60 * number, "h/task": 3600 * number}[unit]


def progress_lines(text):
    return [m.groupdict() for m in LINE.finditer(text)]


def check_fields(line):
    done, total, failed = int(line["done"]), int(line["total"]), int(line["failed"])
    assert line["percent"] == f"{100 * done / total:.1f}", line
    left = total - done - failed
    if left == 0:
        assert line["eta"] == "0:00:00", line
    elif line["rate"] == "no task finished yet":
        assert line["eta"] == "unknown", line
    else:  # the ETA is the tasks left at the rate shown (rounded to 0.1 and to whole seconds)
        expected = left * seconds_per_task(line["rate"])
        assert abs(seconds(line["eta"]) - expected) <= 1 + 0.1 * expected, line


@pytest.fixture
def log_env(tmp_path):
    """Progress on (the tests' default turns it off), every 0.2 s, set in the project's jugrc."""
    (tmp_path / ".jugrc").write_text("[execute]\nprogress-interval = 0.2\n")
    return {"JUG_NO_PROGRESS": None}


def test_a_batch_log_shows_progress_while_the_run_goes_on(background, tmp_path, log_env):
    (tmp_path / "jf.py").write_text(GATED)
    run = background("run", "execute", "jf.py", "--keep-going", env=log_env)
    # A long task runs: lines keep coming, and the rate reads as time per task, not "0 tasks/s".
    must(lambda: any(seconds(line["elapsed"]) >= 3 for line in progress_lines(run.stderr)), 60,
         "a progress line 3 s into the run")
    assert run.alive(), run
    waiting = [line for line in progress_lines(run.stderr) if line["label"] == "progress"]
    assert all(line["total"] == "7" for line in waiting), run.stderr
    late = waiting[-1]
    assert (late["done"], late["percent"], late["failed"]) == ("2", "28.6", "1"), late
    assert late["rate"].endswith("/task") and seconds(late["eta"]) >= 3, late
    for line in waiting:
        check_fields(line)

    (tmp_path / "go").touch()
    assert run.wait(60) == 1, run  # broken failed
    last = progress_lines(run.stderr)[-1]
    assert (last["label"], last["done"], last["total"], last["failed"]) == ("pass 1 done", "6", "7", "1"), last
    check_fields(last)
    assert "\r" not in run.stderr and "\x1b" not in run.stderr, run.stderr


def test_each_pass_ends_with_a_line(jug, jugfile, tmp_path, log_env):
    jugfile("""\
        from jug import TaskGenerator, barrier

        @TaskGenerator
        def f(x):
            return x

        first = [f(i) for i in range(3)]
        barrier()
        second = [f(i) for i in range(10, 12)]
    """, name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path, env=log_env)
    assert run.returncode == 0, run
    ends = [(line["label"], line["done"], line["total"]) for line in progress_lines(run.stderr)
            if line["label"] != "progress"]
    assert ends == [("pass 1 done", "3", "3"), ("pass 2 done", "5", "5")], run.stderr


def test_jobs_log_shows_the_sum_of_the_workers(background, tmp_path, log_env):
    (tmp_path / "jf.py").write_text(with_sync("""\
        from jug import TaskGenerator

        @TaskGenerator
        def quick(i):
            return i

        @TaskGenerator
        def gate(i):
            wait_for("go")
            return i

        qs = [quick(i) for i in range(10)]
        gates = [gate(i) for i in range(2)]
    """))
    run = background("run", "execute", "jf.py", "-j", "2", env=log_env)
    # Each worker holds a gate: all ten quick tasks are done, by one worker or the other.
    must(lambda: any(line["done"] == "10" for line in progress_lines(run.stderr)), 60, "10/12 done in the log")
    assert all(line["total"] == "12" and line["label"] == "progress" for line in progress_lines(run.stderr))
    (tmp_path / "go").touch()
    assert run.wait(60) == 0, run
    last = progress_lines(run.stderr)[-1]
    assert (last["label"], last["done"], last["total"], last["failed"]) == ("workers done", "12", "12", "0")
    check_fields(last)


def test_a_negative_interval_is_one_clear_error(jug, jugfile, tmp_path):
    jugfile("from jug import TaskGenerator\n", name="jf.py")
    run = jug("execute", "jf.py", cwd=tmp_path,
              env={"JUG_NO_PROGRESS": None, "JUG_EXECUTE_PROGRESS_INTERVAL": "-5"})
    assert run.returncode != 0, run
    assert "execute.progress-interval" in run.stderr and "Traceback" not in run.stderr, run


# --- on a terminal ------------------------------------------------------------------------------
TALKING = with_sync("""\
    import logging
    import sys
    import warnings
    from jug import TaskGenerator

    logging.basicConfig(level=logging.INFO, format="%(message)s")  # a handler made before the live line

    @TaskGenerator
    def first():
        return 1

    @TaskGenerator
    def talk(x):
        wait_for("go")
        print("said on stdout")
        print("said", "in pieces", end="")
        print(" and ended")
        print("said on stderr", file=sys.stderr)
        warnings.warn("careful")
        logging.getLogger("talk").info("logged from the task")
        return x

    t = talk(first())
""")


@pytest.fixture
def terminal(tmp_path):
    sessions = []

    def start(*args):
        session = PtySession([str(JUG_BIN), *args], tmp_path, jug_environ({"JUG_NO_PROGRESS": None}))
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()


@pytest.mark.parametrize("verbose", [[], ["--verbose", "info"]])
def test_what_a_task_prints_goes_above_the_live_line(terminal, tmp_path, verbose):
    (tmp_path / "jf.py").write_text(TALKING)
    session = terminal("execute", "jf.py", *verbose)
    session.expect(rf"jug: \[#{{10}}-{{10}}\] 1/2 done \(50\.0%\), 0 failed, .*elapsed {CLOCK}, ETA {CLOCK}")
    (tmp_path / "go").touch()
    assert session.wait() == 0, session.screen
    lines = session.lines()
    for said in ("said on stdout", "said in pieces and ended", "said on stderr"):
        assert said in lines, lines
    warning = [line for line in lines if "UserWarning: careful" in line]
    assert len(warning) == 1 and warning[0].startswith("jf.py:"), lines
    assert ("jug: INFO: logged from the task" if verbose else "logged from the task") in lines, lines
    if verbose:  # --verbose's own lines too
        assert any(re.fullmatch(r"jug: INFO: task jf\.talk \[\w+\] finished on \S+ in [\d.]+ s", line)
                   for line in lines), lines
    assert not any("jug: [" in line for line in lines), lines  # the live line is gone at the end...
    assert "Executed" in session.screen  # ...and the table follows


def test_the_live_line_of_jobs_sums_the_workers(terminal, tmp_path):
    (tmp_path / "jf.py").write_text("from jug import TaskGenerator\n\n@TaskGenerator\ndef f(x):\n    return x\n\n"
                                    "fs = [f(i) for i in range(300)]\n")
    session = terminal("execute", "jf.py", "-j", "2")
    assert session.wait() == 0, session.screen
    shown = [(int(done), int(total)) for done, total in re.findall(r"\] (\d+)/(\d+) done", session.screen)]
    assert shown and shown[-1] == (300, 300), shown
    assert "Executed" in session.screen


def test_what_jobs_workers_print_goes_above_the_parents_line(terminal, tmp_path):
    (tmp_path / "jf.py").write_text(with_sync("""\
        import sys
        from jug import TaskGenerator

        @TaskGenerator
        def talk(i):
            wait_for("go")
            print("worker said", i, "on stdout")
            print("worker said", i, "on stderr", file=sys.stderr)
            return i

        said = [talk(i) for i in range(6)]
    """))
    session = terminal("execute", "jf.py", "-j", "2")
    session.expect(r"jug: \[-{20}\] 0/6 done")
    (tmp_path / "go").touch()
    assert session.wait() == 0, session.screen
    lines = session.lines()
    for i in range(6):
        for stream in ("stdout", "stderr"):
            assert f"worker said {i} on {stream}" in lines, lines
    assert not any("jug: [" in line for line in lines), lines


@pytest.mark.parametrize("ran, elapsed, shown", [
    (0, 5.0, "no task finished yet"), (500, 2.0, "250 tasks/s"), (3, 2.0, "1.5 tasks/s"),
    (1, 2.0, "2.0 s/task"), (2, 300.0, "2.5 min/task"), (1, 7200.0, "2.0 h/task"),
])
def test_the_rate_reads_well_for_short_and_long_tasks(ran, elapsed, shown):
    from jugcore.run.progress_display import rate_text

    assert rate_text(ran, elapsed) == shown
