"""`jug count`: tasks per name, as Jug 2.7 prints them."""
import pytest

from pytest_jug import sample_jugfile, summary_table

BARRIER = """\
from jug import TaskGenerator, barrier

@TaskGenerator
def double(x):
    return 2 * x

xs = [double(i) for i in range(3)]
barrier()
ys = [double(x) for x in xs]
"""


def _stripped(text):
    return [line.rstrip() for line in text.splitlines()]


@pytest.mark.parametrize("short", [False, True], ids=["table", "short"])
def test_count_prints_what_jug27_prints(jug, jugfile, tmp_path, jug27, short):
    jugfile(sample_jugfile(n=4), name="jf.py")
    args = ["count", "jf.py"] + (["--short"] if short else [])
    ours, theirs = jug(*args, cwd=tmp_path), jug(*args, cwd=tmp_path, jug=jug27)
    assert ours.returncode == 0, ours
    assert theirs.returncode == 0, theirs
    assert _stripped(ours.stdout) == _stripped(theirs.stdout)
    if short:
        assert _stripped(ours.stdout) == ["Count:  5 tasks", "** Total: 5 tasks."]
    else:
        assert summary_table(ours.stdout) == {"jf.double": [4], "jf.total": [1], "Total": [5]}
    assert not (tmp_path / "jf.jugdata").exists()  # counting stores nothing


def test_count_stops_at_a_barrier_and_says_so(jug, jugfile, tmp_path):
    jugfile(BARRIER, name="jf.py")
    run = jug("count", "jf.py", cwd=tmp_path)
    assert run.returncode == 0, run
    assert summary_table(run.stdout) == {"jf.double": [3], "Total": [3]}
    assert "stops at a barrier" in run.stdout
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 0
    after = jug("count", "jf.py", cwd=tmp_path)  # past the barrier now: all six
    assert summary_table(after.stdout) == {"jf.double": [6], "Total": [6]}, after
    assert "barrier" not in after.stdout


def test_count_of_a_missing_jugfile_is_one_clear_error(jug, tmp_path):
    run = jug("count", "nothere.py", cwd=tmp_path)
    assert run.returncode != 0
    assert "nothere.py" in run.stderr and "Traceback" not in run.stderr, run
