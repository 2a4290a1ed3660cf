"""`jug execute --name/--pattern` that selects no task: Jug 2.7 ran nothing and
exited 0 without a word, so a typo in a batch script looked like success.  We
say so, with the names that were probably meant, and exit 1."""
import pytest

from pytest_jug import summary_table

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def work(x):
    return x + 1

@TaskGenerator
def gather(xs):
    return sum(xs)

total = gather([work(i) for i in range(4)])
"""


@pytest.mark.parametrize("args, said", [
    (["--name", "wrk"], "jug: no task matches --name wrk; did you mean work?"),
    (["--name", "jugfile.gathr"], "jug: no task matches --name jugfile.gathr; did you mean jugfile.gather"),
    (["--pattern", "gahter"], "jug: no task matches --pattern gahter; did you mean gather?"),
    (["--pattern", "/^zz/"], "jug: no task matches --pattern /^zz/; the jugfile's task names are "
                             "jugfile.gather, jugfile.work"),
    (["--name", "wrk", "-j", "2"], "jug: no task matches --name wrk; did you mean work?"),
])
def test_a_selection_that_matches_nothing_says_so(jug, jugfile, tmp_path, args, said):
    run = jug("execute", jugfile(JUGFILE), "--jugdir", tmp_path / "jugdata", *args)
    assert run.returncode == 1, run
    assert run.stderr.count(said) == 1, run
    assert summary_table(run.stdout)["Total"] == [0, 0]


def test_a_selection_whose_tasks_are_done_is_no_error(jug, jugfile, tmp_path):
    path, jugdir = jugfile(JUGFILE), tmp_path / "jugdata"
    assert jug("execute", path, "--jugdir", jugdir, "--name", "work").returncode == 0
    again = jug("execute", path, "--jugdir", jugdir, "--name", "work")
    assert again.returncode == 0, again
    assert "no task matches" not in again.output


BEHIND_A_BARRIER = """\
from jug import TaskGenerator, barrier

@TaskGenerator
def first(x):
    return x

@TaskGenerator
def second(x):
    return x

a = [first(i) for i in range(3)]
barrier()
b = [second(x) for x in a]
"""


def test_a_name_behind_an_unmet_barrier_is_not_called_a_typo(jug, jugfile, tmp_path):
    run = jug("execute", jugfile(BEHIND_A_BARRIER), "--jugdir", tmp_path / "jugdata", "--name", "second")
    assert run.returncode == 1, run
    assert "no task before the barrier the jugfile stops at matches --name second" in run.stderr, run
    assert "did you mean" not in run.stderr
