"""Beginner mistakes that once showed a traceback from jug's own code: each now
says in one line what is wrong and how to fix it."""
import subprocess
import sys

import pytest

from pytest_jug import sample_jugfile

from tests.test_errors import assert_clean_error

# doubles done, result (`total`) Ready once they are, bad failing.
JUGFILE = sample_jugfile(3) + """
@TaskGenerator
def broken(x):
    raise ValueError("no")

bad = broken(1)
"""


# --- a typo in the jugdir template -------------------------------------------------------------
@pytest.mark.parametrize("where", ["option", "env", "jugrc"])
def test_unknown_field_in_jugdir_template(jug, jugfile, where):
    path = jugfile(JUGFILE)
    template = "%(nope)s.d"
    args, env = ["status", path], None
    if where == "option":
        args += ["--jugdir", template]
    elif where == "env":
        env = {"JUG_JUGDIR": template}
    else:
        (path.parent / "jugrc").write_text(f"[main]\njugdir = {template}\n")  # no % interpolation
    run = jug(*args, cwd=path.parent, env=env)
    assert_clean_error(run, "unknown field %(nope)s", "%(jugfile)s, %(date)s")
    assert "KeyError" not in run.output
    assert len(run.stderr.strip().splitlines()) == 1, run


def test_malformed_jugdir_template(jug, jugfile):
    run = jug("status", jugfile(JUGFILE), "--jugdir", "%(jugfile)")
    assert_clean_error(run, "not a valid template", "%(jugfile)s, %(date)s")


# --- value(t) before t has run -------------------------------------------------------------------
SCRIPT = """\
import sys
import jug
from jug import value
_, names = jug.init({jugfile!r}, {jugdir!r})
try:
    value(names[sys.argv[1]])
except KeyError as e:  # what it raised before: scripts that caught that keep working
    print(type(e).__name__, e)
"""


@pytest.fixture
def half_run(jug, jugfile, tmp_path):
    """The JUGFILE with `double` done and `broken` failed; `total` is Ready (its inputs are done)."""
    path = jugfile(JUGFILE)
    jugdir = tmp_path / "jugdata"
    assert jug("execute", path, "--jugdir", jugdir, "--name", "double").returncode == 0
    jug("execute", path, "--jugdir", jugdir, "--name", "broken")
    script = tmp_path / "script.py"
    script.write_text(SCRIPT.format(jugfile=str(path), jugdir=str(jugdir)))
    return path, jugdir, script


@pytest.mark.parametrize("name, status", [("result", "Ready"), ("bad", "Failed")])
def test_value_before_the_task_ran_in_a_script(half_run, name, status):
    _, _, script = half_run
    run = subprocess.run([sys.executable, str(script), name], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    task = "jugfile.total" if name == "result" else "jugfile.broken"
    assert f"TaskHasNoResult task {task} has no result yet (status: {status})" in run.stdout, run.stdout


def test_value_before_the_task_ran_in_a_jugfile(jug, jugfile, tmp_path):
    path = jugfile(JUGFILE + "print(value(result))\n")
    path.write_text("from jug import value\n" + path.read_text())
    run = jug("execute", path, "--jugdir", tmp_path / "jugdata")
    assert run.returncode != 0
    assert "task jugfile.total has no result yet (status: Waiting, for 3 tasks it needs)" in run.stderr, run
    assert "barrier()" in run.stderr
    assert "b'" not in run.stderr and "store.py" not in run.stderr, run


# --- a task argument that cannot be hashed -------------------------------------------------------
UNHASHABLE = """\
import sys
from jug import TaskGenerator

@TaskGenerator
def apply(f, x=0):
    return f(x)

def make_local():
    def local(v):
        return v
    return local

kind = sys.argv[1]
if kind == "lambda":
    apply(lambda v: v + 1)
elif kind == "local":
    apply(make_local(), 2)
elif kind == "file":
    apply(len, x=open(__file__))
elif kind == "generator":
    apply(sum, (i for i in range(3)))
"""


@pytest.mark.parametrize("command", ["execute", "status"])
@pytest.mark.parametrize("kind, argument, described, fix", [
    ("lambda", "argument 0 (f)", "a lambda", "`def` at the top level"),
    ("local", "argument 0 (f)", "a function defined inside another, make_local.<locals>.local", "`def`"),
    ("file", "argument x (keyword)", "a _io.TextIOWrapper", "pass the file's name"),
    ("generator", "argument 1 (x)", "a generator", "pass a list"),
])
def test_unhashable_argument(jug, jugfile, tmp_path, command, kind, argument, described, fix):
    run = jug(command, jugfile(UNHASHABLE), kind, "--jugdir", tmp_path / "jugdata")
    assert_clean_error(run, f"task jugfile.apply: {argument}, {described}", fix, "NoHash", "CustomHash")
    assert len(run.stderr.strip().splitlines()) == 1, run
