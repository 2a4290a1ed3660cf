"""`jug shell`: a real IPython session on a pseudo-terminal, on a real jugdir;
and what `jug shell` says where IPython cannot be imported."""
import pytest

from pytest_jug import JUG_BIN, jug_environ, summary_table
from tests.support.terminal import PtySession

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def base(i):
    return i

@TaskGenerator
def plus1(x):
    return x + 1

@TaskGenerator
def boom(x):
    raise ValueError("deliberate")

@TaskGenerator
def after(x):
    return x

a = base(1)
b = plus1(a)
c = plus1(b)
other = base(10)
f = boom(other)
g = after(f)
"""


@pytest.fixture
def project(jug, jugfile, tmp_path):
    jugfile(JUGFILE, name="jf.py")
    run = jug("execute", "jf.py", "--keep-going", "--keep-failed", cwd=tmp_path)
    assert run.returncode == 1 and "deliberate" in run.stderr, run
    return tmp_path


@pytest.fixture
def shell(project):
    env = jug_environ({"IPYTHONDIR": str(project / "ipython"), "TERM": "xterm"})
    session = PtySession([str(JUG_BIN), "shell", "jf.py"], cwd=project, env=env)
    yield session
    session.close()


def ask(shell, label, expression):
    """Have the shell print ``expression`` after a marker its echo cannot show; its text."""
    shell.type(f'print("@@" + "{label}", {expression}, "@@")')
    return shell.expect(rf"@@{label} (.*) @@").group(1)


NAMES = "sorted(t.name for t in get_filtered_tasks({}))"


def test_shell_session(shell, project, jug):
    shell.expect(r"get_filtered_tasks\(loadable=False, failed=False, available=False\)")  # our banner
    shell.expect(r"In \[1\]: ")
    assert ask(shell, "V", "value(c), value(b), value([a, other])") == "3 2 [1, 10]"
    assert ask(shell, "N", "len(get_tasks())") == "6"
    assert ask(shell, "L", NAMES.format("loadable=True")) == "['jf.base', 'jf.base', 'jf.plus1', 'jf.plus1']"
    assert ask(shell, "F", NAMES.format("failed=True")) == "['jf.boom']"
    assert ask(shell, "R", NAMES.format("available=True")) == "['jf.boom']"  # deps done, no result
    assert ask(shell, "FR", NAMES.format("failed=True, loadable=True")).count("jf.") == 5
    assert ask(shell, "0", NAMES.format("")) == "[]"

    shell.type("invalidate(b)")
    shell.expect(r"Removed 2 results: jf\.plus1 \(2\)\.")
    assert ask(shell, "L2", NAMES.format("loadable=True")) == "['jf.base', 'jf.base']"
    assert ask(shell, "R2", NAMES.format("available=True")) == "['jf.boom', 'jf.plus1']"

    shell.type("load_all()")
    for name in "bcfg":  # in the jugfile's order
        shell.expect(rf"{name}: not computed yet")
    assert ask(shell, "A", "a, other, type(b).__name__") == "1 10 Task"
    shell.type("invalidate(f)")
    shell.expect(r"No results removed")
    shell.type("exit")
    assert shell.wait() == 0

    status = jug("status", "jf.py", cwd=project)  # the invalidation is in the jugdir
    assert summary_table(status.stdout) == {
        "jf.after": [0, 1, 0, 0, 0], "jf.base": [0, 0, 0, 2, 0], "jf.boom": [1, 0, 0, 0, 0],
        "jf.plus1": [0, 1, 1, 0, 0], "Total": [1, 2, 1, 2, 0],
    }, status


def test_shell_invalidates_lists_and_tasklets(shell, project, jug):
    shell.expect(r"In \[1\]: ")
    shell.type("invalidate([other, a[0]])")  # a[0] is a Tasklet: its task is a
    shell.expect(r"Removed 4 results: jf\.base \(2\), jf\.plus1 \(2\)\.")
    shell.type("invalidate(42)")
    shell.expect(r"TypeError: invalidate\(\) takes a task or a list of tasks, not int")
    shell.type("exit")
    assert shell.wait() == 0
    status = summary_table(jug("status", "jf.py", cwd=project).stdout)
    assert status["jf.base"] == [0, 0, 2, 0, 0] and status["jf.boom"] == [1, 0, 0, 0, 0], status


def test_without_ipython_shell_says_how_to_install_it(jug, project, tmp_path):
    broken = tmp_path / "no-ipython" / "IPython"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise ImportError("No module named IPython (hidden by the test)")\n')
    env = {"PYTHONPATH": str(broken.parent)}
    run = jug("shell", "jf.py", cwd=project, env=env)
    assert run.returncode == 2, run
    assert run.stderr.startswith("jug: error: jug shell needs IPython"), run
    assert "pip install ipython" in run.stderr and "Traceback" not in run.stderr
    assert not (project / "ipython").exists()
    counted = jug("count", "jf.py", cwd=project, env=env)  # everything else works without IPython
    assert counted.returncode == 0 and summary_table(counted.stdout)["Total"] == [6], counted


def test_value_of_a_task_without_result_says_where_it_stands(shell):
    shell.expect(r"In \[1\]: ")
    shell.type("value(f)")
    shell.expect(r"TaskHasNoResult: task jf\.boom has no result yet \(status: Failed\)")
    shell.type("value(g)")
    shell.expect(r"task jf\.after has no result yet \(status: Waiting, for 1 task it needs\)")
    shell.type("exit")
    assert shell.wait() == 0
