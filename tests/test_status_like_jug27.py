"""`jug status` as a Jug 2.7 user knows it: the same counts as Jug 2.7's for the
same jugfile, and its `--cache` options, which never show a stale status here."""
import os

import pytest

from pytest_jug import sample_jugfile, summary_table

pytestmark = pytest.mark.usefixtures("jug27")

# 32 doubles plus the same call again, and the same total twice: Jug 2.7's `jug
# status` and `jug count` count every task the jugfile creates, so 35 tasks.
REPEATED_CALLS = sample_jugfile(32) + "again = double(3)\nsame_result = total(doubles)\n"


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


# --- jug status --cache ---------------------------------------------------------------------------
def _age_folders(jugdir, seconds=3600):
    """Make the result folders look last changed an hour ago, so that the file
    store saves their listings (it trusts only folders that settled) and the
    next status is answered from them unless something changed."""
    for folder in jugdir.iterdir():
        if len(folder.name) == 2:
            info = folder.stat()
            os.utime(folder, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 10**9))


def _cached_totals(jug, path, jugdir):
    run = jug("status", path, "--jugdir", jugdir, "--cache")
    return summary_table(run.stdout)


def test_cached_status_is_never_stale(jug, jug27, jugfile, tmp_path):
    # 81 tasks: enough that the file store lists its folders rather than stat each result
    path, jugdir = jugfile(sample_jugfile(80)), tmp_path / "jugdata"
    assert jug("execute", path, "--jugdir", jugdir).returncode == 0
    _age_folders(jugdir)
    assert _cached_totals(jug, path, jugdir)["Total"] == [0, 0, 0, 81, 0]
    assert (jugdir / "tempfiles" / "jugcore-listing").exists()  # the store's own cache is in play
    jug27_cache = ["--cache", "--cache-file", tmp_path / "jug27.sqlite3"]
    assert jug("status", path, "--jugdir", jugdir, *jug27_cache, jug=jug27).returncode == 0

    # After jug invalidate
    assert jug("invalidate", path, "--jugdir", jugdir, "--name", "total").returncode == 0
    assert _cached_totals(jug, path, jugdir)["jugfile.total"] == [0, 0, 1, 0, 0]
    assert jug("execute", path, "--jugdir", jugdir).returncode == 0
    _age_folders(jugdir)
    assert _cached_totals(jug, path, jugdir)["Total"] == [0, 0, 0, 81, 0]

    # After a result is removed by hand
    removed = next(f for f in jugdir.glob("??/*"))
    removed.unlink()
    table = _cached_totals(jug, path, jugdir)
    assert table["Total"][3] == 80, table
    assert table["Total"] == summary_table(jug("status", path, "--jugdir", jugdir).stdout)["Total"]
    # (Jug 2.7's cache still says every task is done: what the test guards against.)
    stale = jug("status", path, "--jugdir", jugdir, *jug27_cache, jug=jug27)
    assert summary_table(stale.stdout)["Total"][3] == 81, stale

    # After the jugfile changes
    path.write_text(sample_jugfile(90))
    table = _cached_totals(jug, path, jugdir)
    assert table["jugfile.double"][2] + table["jugfile.double"][3] == 90, table


def test_cache_clear_removes_jug27s_cache_file(jug, jug27, jugfile, tmp_path):
    path = jugfile(sample_jugfile(3))
    made = jug("status", path, "--cache", jug=jug27, cwd=tmp_path)
    assert (tmp_path / ".jugstatus.sqlite3").exists(), made
    run = jug("status", path, "--cache", "--clear", cwd=tmp_path)
    assert run.returncode == 0, run
    assert not (tmp_path / ".jugstatus.sqlite3").exists()
    assert "Removed the status cache .jugstatus.sqlite3." in run.stdout
    assert jug("status", path, "--cache", "--clear", cwd=tmp_path).returncode == 0  # nothing to remove


def test_cache_clear_leaves_other_files_alone(jug, jugfile, tmp_path):
    path = jugfile(sample_jugfile(3))
    precious = tmp_path / "notes.txt"
    precious.write_text("not a cache")
    run = jug("status", path, "--cache", "--clear", "--cache-file", precious, cwd=tmp_path)
    assert run.returncode != 0 and "not a Jug status cache" in run.stderr, run
    assert precious.read_text() == "not a cache"
    (tmp_path / "link").symlink_to(precious)
    run = jug("status", path, "--cache", "--clear", "--cache-file", tmp_path / "link", cwd=tmp_path)
    assert run.returncode != 0 and "left alone" in run.stderr, run
    assert precious.exists()
