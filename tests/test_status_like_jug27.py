"""`jug status` as a Jug 2.7 user knows it: the same counts as Jug 2.7's for the
same jugfile, and its `--cache` options, which never show a stale status here."""
import pytest

from pytest_jug import summary_table

pytestmark = pytest.mark.usefixtures("jug27")

# 32 doubles plus the same call again, and the same total twice: Jug 2.7's `jug
# status` and `jug count` count every task the jugfile creates, so 35 tasks.
REPEATED_CALLS = """\
from jug import TaskGenerator

@TaskGenerator
def double(x):
    return 2 * x

@TaskGenerator
def total(xs):
    return sum(xs)

xs = [double(i) for i in range(32)]
again = double(3)
result = total(xs)
same_result = total(xs)
"""


def _statuses(jug, jug27, path, tmp_path):
    ours = summary_table(jug("status", path, "--jugdir", tmp_path / "ours").stdout)
    theirs = summary_table(jug(
        "status", path, "--jugdir", tmp_path / "theirs", jug=jug27).stdout)
    return ours, theirs


def test_a_call_made_twice_counts_twice_as_in_jug27(jug, jug27, jugfile, tmp_path):
    path = jugfile(REPEATED_CALLS)
    ours, theirs = _statuses(jug, jug27, path, tmp_path)
    assert ours == theirs
    assert ours["Total"] == [0, 2, 33, 0, 0]
    assert summary_table(jug("count", path).stdout)["Total"] == [35]
    assert jug("execute", path, "--jugdir", tmp_path / "ours").returncode == 0
    assert jug("execute", path, "--jugdir", tmp_path / "theirs", jug=jug27).returncode == 0
    ours, theirs = _statuses(jug, jug27, path, tmp_path)
    assert ours == theirs
    assert ours["Total"] == [0, 0, 0, 35, 0]
