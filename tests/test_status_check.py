"""`jug status`, `jug check` and `jug sleep-until` on real jugdirs, at each stage of a run."""
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# (The helpers are repeated from test_execute.py: with --import-mode=importlib
# one test module cannot import another.)
JUG_BIN = Path(sys.executable).with_name("jug")
PYTHON = Path(sys.executable)

# Prepended to jugfiles that synchronise with the test through files.
SYNC = '''\
import os, time
HERE = os.path.dirname(os.path.abspath(__file__))
def here(name):
    return os.path.join(HERE, name)
def touch(name):
    open(here(name), "a").close()
def wait_for(name, limit=60):
    deadline = time.monotonic() + limit
    while not os.path.exists(here(name)):
        if time.monotonic() > deadline:
            raise RuntimeError(name + " never appeared")
        time.sleep(0.005)
def record(name):
    """Create HERE/name exclusively: a second execution of the same task fails loudly."""
    os.close(os.open(here(name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
def append(name, text="x"):
    with open(here(name), "a") as f:
        f.write(text + "\\n")
'''


def with_sync(body):
    return SYNC + textwrap.dedent(body)


# --- helpers ------------------------------------------------------------------
def wait_until(condition, timeout, what="condition"):
    """Poll ``condition`` until true; returns True, or False when ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)


def must(condition, timeout, what):
    assert wait_until(condition, timeout), f"timed out after {timeout} s waiting for {what}"


class Bg:
    """A `jug` process running in the background; output goes to files."""

    def __init__(self, tmp_path, label, *args, env=None, cwd=None):
        full_env = dict(os.environ)
        full_env.pop("JUG_TRACE_PLUGINS", None)
        full_env.update(env or {})
        self.out_path = tmp_path / f"{label}.stdout"
        self.err_path = tmp_path / f"{label}.stderr"
        self._out = open(self.out_path, "w")
        self._err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [str(JUG_BIN), *map(str, args)], cwd=cwd or tmp_path, env=full_env,
            stdout=self._out, stderr=self._err, stdin=subprocess.DEVNULL,
        )
        self.ended_at = None

    def alive(self):
        if self.proc.poll() is None:
            return True
        if self.ended_at is None:
            self.ended_at = time.monotonic()
        return False

    def wait(self, timeout):
        must(lambda: not self.alive(), timeout, f"{self.proc.args} to exit")
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    @property
    def returncode(self):
        return self.proc.returncode

    @property
    def stdout(self):
        self._out.flush()
        return self.out_path.read_text()

    @property
    def stderr(self):
        self._err.flush()
        return self.err_path.read_text()

    def __repr__(self):
        return f"<Bg rc={self.proc.returncode}\n--stdout--\n{self.stdout}\n--stderr--\n{self.stderr}>"

    def close(self):
        self.kill()
        self._out.close()
        self._err.close()


@pytest.fixture
def background(tmp_path):
    started = []

    def start(label, *args, env=None, cwd=None):
        bg = Bg(tmp_path, label, *args, env=env, cwd=cwd)
        started.append(bg)
        return bg

    yield start
    for bg in started:
        bg.close()


def table(text):
    """Parse a summary table: {task name: [column values]} (including 'Total')."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^((?:\s+\d+)+)\s\s(\S+)\s*$", line)
        if m:
            rows[m.group(2)] = [int(v) for v in m.group(1).split()]
    return rows



def lock_files(jugdir):
    locks = Path(jugdir) / "locks"
    return sorted(p.name for p in locks.iterdir()) if locks.exists() else []


STAGES = with_sync("""\
from jug import TaskGenerator

@TaskGenerator
def prep(i):
    return i

@TaskGenerator
def step(x):
    return x + 1

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
    assert table(run.stdout) == rows, run
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
    assert table(run.stdout) == {
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


CHAIN = """\
from jug import TaskGenerator

@TaskGenerator
def prep(i):
    return i

@TaskGenerator
def step(x):
    return x + 1

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


BARRIER = """\
from jug import TaskGenerator, barrier, bvalue

@TaskGenerator
def make_list(n):
    return list(range(n))

@TaskGenerator
def square(x):
    return x * x

items = bvalue(make_list(3))
squares = [square(x) for x in items]
barrier()
total = sum(bvalue(squares))
"""


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
    assert status.returncode == 0 and table(status.stdout)["Total"] == [0, 0, 0, 4, 0], status


# --- sleep-until --------------------------------------------------------------------------
def test_sleep_until_returns_when_another_worker_finishes(jugfile, tmp_path, background):
    jugfile(STAGES, name="jf.py")
    worker = background("worker", "execute", "jf.py")
    must(lambda: (tmp_path / "hold_started").exists(), 60, "the worker to start hold")
    sleeper = background("sleeper", "sleep-until", "jf.py")
    assert not wait_until(lambda: not sleeper.alive(), 1.5), sleeper
    (tmp_path / "go").touch()
    must(lambda: not worker.alive() and not sleeper.alive(), 60, "worker and sleep-until to exit")
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
    assert "jf.boom" in run.stderr, run


GATED_FAILURE = with_sync("""\
from jug import TaskGenerator

@TaskGenerator
def boom():
    touch("boom_started")
    wait_for("go")
    raise RuntimeError("deliberate")

@TaskGenerator
def after(x):
    return x

c = after(boom())
""")


def test_sleep_until_exits_1_when_a_task_fails_while_it_waits(jugfile, tmp_path, background):
    jugfile(GATED_FAILURE, name="jf.py")
    worker = background("worker", "execute", "jf.py", "--keep-failed")
    must(lambda: (tmp_path / "boom_started").exists(), 60, "the worker to start boom")
    sleeper = background("sleeper", "sleep-until", "jf.py")
    assert not wait_until(lambda: not sleeper.alive(), 1.0), sleeper
    (tmp_path / "go").touch()
    must(lambda: not worker.alive() and not sleeper.alive(), 60, "worker and sleep-until to exit")
    assert worker.returncode == 1, worker
    assert sleeper.returncode == 1, sleeper
    assert sleeper.ended_at - worker.ended_at < 10
    assert "jf.boom" in sleeper.stderr, sleeper
    assert len(lock_files(tmp_path / "jf.jugdata")) == 1
