"""`jug invalidate`: which results it removes (compared with Jug 2.7 on copies of the
same jugdir), what it prints, and its refusals."""
import shutil

import pytest

from pytest_jug import run_jug, summary_table

# Roots (load, load_other), a Tasklet (p[0]) between split and use_first, a
# Tasklet inside nested containers (use_nested), a fan-in of everything
# (total), and an unrelated branch (other).
GRAPH = """\
from jug import TaskGenerator

@TaskGenerator
def load(i):
    return i

@TaskGenerator
def load_other(i):
    return -i

@TaskGenerator
def split(x):
    return (x, x + 1)

@TaskGenerator
def use_first(x):
    return x * 10

@TaskGenerator
def use_nested(d):
    return d["a"][0] + d["a"][1][0]

@TaskGenerator
def total(xs):
    return sum(xs)

@TaskGenerator
def other(i):
    return i

loads = [load(i) for i in range(3)]
others = [load_other(i) for i in range(2)]
pairs = [split(x) for x in loads]
firsts = [use_first(p[0]) for p in pairs]
nested = use_nested({"a": [others[0], (pairs[1][1],)]})
grand = total(firsts + [nested])
lone = [other(i) for i in range(2)]
"""

ALL = {"jf.load": 3, "jf.load_other": 2, "jf.split": 3, "jf.use_first": 3, "jf.use_nested": 1,
       "jf.total": 1, "jf.other": 2}


def result_files(jugdir):
    return sorted(str(p.relative_to(jugdir)) for p in jugdir.glob("??/*"))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A jugdir with every task of GRAPH run (computed once for the module)."""
    folder = tmp_path_factory.mktemp("graph")
    (folder / "jf.py").write_text(GRAPH)
    run = run_jug("execute", "jf.py", cwd=folder)
    assert run.returncode == 0, run
    return folder / "jf.jugdata"


@pytest.fixture
def computed(tmp_path, pristine):
    """(folder with GRAPH as jf.py and a copy of the computed jugdir, the pristine jugdir)."""
    (tmp_path / "jf.py").write_text(GRAPH)
    fresh_jugdir(tmp_path, pristine)
    return tmp_path, pristine


def fresh_jugdir(folder, pristine):
    jugdir = folder / "jf.jugdata"
    shutil.rmtree(jugdir, ignore_errors=True)
    shutil.copytree(pristine, jugdir)
    return jugdir


def invalidated(run):
    table = summary_table(run.stdout)
    table.pop("Total", None)
    return {name: counts[0] for name, counts in table.items()}


# (selection, what it invalidates: the matches and everything downstream of them)
SELECTIONS = [
    # a name's tail after a dot, not a prefix: load_other is spared; through Tasklets p[0] and p[1]
    (["--name", "load"], {"jf.load": 3, "jf.split": 3, "jf.use_first": 3, "jf.use_nested": 1, "jf.total": 1}),
    (["--name", "jf.split"], {"jf.split": 3, "jf.use_first": 3, "jf.use_nested": 1, "jf.total": 1}),
    (["--name", "use_*"], {"jf.use_first": 3, "jf.use_nested": 1, "jf.total": 1}),
    (["--name", "jf.othe?"], {"jf.other": 2}),
    # a substring: both load and load_other
    (["--pattern", "load"], {n: c for n, c in ALL.items() if n != "jf.other"}),
    (["--pattern", r"/^jf\.(other|load_other)$/"],
     {"jf.load_other": 2, "jf.other": 2, "jf.use_nested": 1, "jf.total": 1}),
    (["--target", "total"], {"jf.total": 1}),
]


@pytest.mark.parametrize("selection, expected", SELECTIONS, ids=[" ".join(s) for s, _ in SELECTIONS])
def test_invalidate_removes_matches_and_downstream(jug, computed, selection, expected):
    folder, pristine = computed
    jugdir = fresh_jugdir(folder, pristine)
    run = jug("invalidate", "jf.py", *selection, cwd=folder)
    assert run.returncode == 0, run
    assert invalidated(run) == expected, run
    assert summary_table(run.stdout)["Total"] == [sum(expected.values())], run
    assert len(result_files(jugdir)) == sum(ALL.values()) - sum(expected.values())
    # the same again finds nothing left to remove
    again = jug("invalidate", "jf.py", *selection, cwd=folder)
    assert again.returncode == 0, again
    assert "No results invalidated" in again.stdout, again


def test_invalidate_leaves_what_jug27_leaves(jug, computed, jug27):
    folder, pristine = computed
    for selection, _ in SELECTIONS:
        jugdir = fresh_jugdir(folder, pristine)
        ours = jug("invalidate", "jf.py", *selection, cwd=folder)
        left_by_ours = result_files(jugdir)
        jugdir = fresh_jugdir(folder, pristine)
        theirs = jug("invalidate", "--will-cite", "jf.py", *selection, cwd=folder, jug=jug27)
        assert (ours.returncode, theirs.returncode) == (0, 0), (ours, theirs)
        assert left_by_ours == result_files(jugdir), (selection, ours, theirs)
        assert summary_table(ours.stdout) == summary_table(theirs.stdout), (ours, theirs)


def test_dry_run_lists_and_removes_nothing(jug, computed):
    folder, pristine = computed
    run = jug("invalidate", "jf.py", "--name", "split", "--dry-run", cwd=folder)
    assert run.returncode == 0, run
    assert run.stdout.split()[0] == "Would", run
    assert invalidated(run) == {"jf.split": 3, "jf.use_first": 3, "jf.use_nested": 1, "jf.total": 1}, run
    assert result_files(folder / "jf.jugdata") == result_files(pristine)


@pytest.mark.parametrize("option", ["--target", "--invalid"])
def test_target_is_a_deprecated_name(jug, computed, option):
    folder, _ = computed
    run = jug("invalidate", "jf.py", option, "other", "--dry-run", cwd=folder)
    assert run.returncode == 0, run
    assert f"{option}" in run.stderr and "deprecated and means --name" in run.stderr, run
    assert invalidated(run) == {"jf.other": 2}, run  # --name's rule: `other` is not `load_other`


@pytest.mark.parametrize("args, words", [
    ([], ["--name", "--pattern"]),
    (["--name", "load", "--pattern", "load"], ["--name", "--pattern"]),
    (["--target", "load", "--name", "load"], ["--name", "--target"]),
    (["--target", "load", "--pattern", "load"], ["--name", "--pattern"]),
    (["--pattern", ""], ["empty"]),
    (["--pattern", "/(/"], ["regular expression"]),
])
def test_bad_selection_exits_2_and_removes_nothing(jug, computed, args, words):
    folder, pristine = computed
    run = jug("invalidate", "jf.py", *args, cwd=folder)
    assert run.returncode == 2, run
    error = [line for line in run.stderr.splitlines() if line.startswith(("jug: error:", "Error:"))]
    assert len(error) == 1 and all(w in error[0] for w in words), run
    assert "Traceback" not in run.output
    assert result_files(folder / "jf.jugdata") == result_files(pristine)


@pytest.mark.parametrize("option", ["--target", "--invalid"])
def test_no_match_with_a_legacy_option_names_that_option(jug, computed, option):
    folder, pristine = computed
    run = jug("invalidate", "jf.py", option, "oth", cwd=folder)
    assert run.returncode == 0, run
    assert run.stdout.splitlines() == ["No results invalidated.",
                                       f"No task matches {option} oth; did you mean other?"], run
    assert f"{option} is deprecated" in run.stderr, run
    assert result_files(folder / "jf.jugdata") == result_files(pristine)


def test_no_match_says_so(jug, computed):
    folder, pristine = computed
    run = jug("invalidate", "jf.py", "--name", "oth", cwd=folder)  # `oth` is no name's tail
    assert run.returncode == 0, run
    assert run.stdout.splitlines() == ["No results invalidated.", "No task matches --name oth; did you mean other?"], run
    assert result_files(folder / "jf.jugdata") == result_files(pristine)


BEHIND_A_BARRIER = """\
from jug import TaskGenerator, barrier

@TaskGenerator
def first(i):
    return i

@TaskGenerator
def second(xs):
    return sum(xs)

fs = [first(i) for i in range(int(open("n.txt").read()))]
barrier()
s = second(fs)
"""


def test_invalidate_at_an_unmet_barrier_warns(jug, jugfile, tmp_path):
    jugfile(BEHIND_A_BARRIER, name="jf.py")
    (tmp_path / "n.txt").write_text("2")
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 0
    (tmp_path / "n.txt").write_text("3")  # first(2) has no result: the import stops at the barrier
    run = jug("invalidate", "jf.py", "--name", "first", cwd=tmp_path)
    assert run.returncode == 0, run
    assert invalidated(run) == {"jf.first": 2}, run
    assert "barrier" in run.stderr and "jug: warning:" in run.stderr, run
    # second's result (beyond the barrier, unknown now) is left: the warning says so
    assert len(result_files(tmp_path / "jf.jugdata")) == 1


def test_no_match_at_an_unmet_barrier_says_tasks_after_it_are_unknown(jug, jugfile, tmp_path):
    jugfile(BEHIND_A_BARRIER, name="jf.py")
    (tmp_path / "n.txt").write_text("2")
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 0
    (tmp_path / "n.txt").write_text("3")
    run = jug("invalidate", "jf.py", "--name", "second", cwd=tmp_path)  # defined after the barrier
    assert run.returncode == 0, run
    assert "barrier" in run.stderr and "jug: warning:" in run.stderr, run
    assert len(result_files(tmp_path / "jf.jugdata")) == 3
