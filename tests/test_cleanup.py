"""`jug cleanup` on a jugfile whose graph changes shape between runs (bvalue and
barrier), at an unmet barrier, and on a store shared with other projects."""
import re
import shutil

import pytest

from pytest_jug import bvalue_barrier_jugfile, lock_files, make_distribution, summary_table

# How many squares comes from a result (bvalue), read from n.txt; total is
# defined after a barrier, boom (which always fails) after total.
SHAPES = bvalue_barrier_jugfile('int(open("n.txt").read())', """\
    @TaskGenerator
    def boom(x):
        raise ValueError(f"boom {x}")

    t = total(squares)
    b = boom(t)
    """)


def files(jugdir):
    """Result files and lock files of a file jugdir."""
    return sorted(str(p.relative_to(jugdir)) for p in [*jugdir.glob("??/*"), *jugdir.glob("locks/*")])


def results(jugdir):
    return [f for f in files(jugdir) if not f.startswith("locks")]


def lines(run):
    return run.stdout.strip().splitlines()


def test_cleanup_as_the_graph_changes_shape(jug, jugfile, tmp_path, jug27):
    jugfile(SHAPES, name="jf.py")
    jugdir = tmp_path / "jf.jugdata"
    n = tmp_path / "n.txt"
    n.write_text("4")
    assert jug("execute", "jf.py", "--keep-going", cwd=tmp_path).returncode == 1  # boom fails
    first, first_results = files(jugdir), results(jugdir)
    assert len(first_results) == 6 and len(lock_files(jugdir)) == 1  # make_list, 4 squares, total; boom

    # Fewer squares: make_list(2) has no result, so the import stops at bvalue, and
    # total (after the barrier) is unknown. Nothing may be deleted.
    n.write_text("2")
    for args in ([], ["--dry-run"], ["--keep-locks"]):
        run = jug("cleanup", "jf.py", *args, cwd=tmp_path)
        assert run.returncode == 1, run
        assert run.stdout == "" and "barrier" in run.stderr and "--locks-only" in run.stderr, run
        assert "Traceback" not in run.stderr
        assert files(jugdir) == first
    # Locks can still be cleaned there.
    run = jug("cleanup", "jf.py", "--failed-only", "--dry-run", cwd=tmp_path)
    assert (run.returncode, lines(run)) == (0, ["Would remove 1 failure locks"]), run
    assert files(jugdir) == first
    run = jug("cleanup", "jf.py", "--failed-only", cwd=tmp_path)
    assert (run.returncode, lines(run)) == (0, ["Removed 1 failure locks"]), run
    assert results(jugdir) == first_results and lock_files(jugdir) == []

    # Re-run with 2: make_list(2), a new total and boom; square(0), square(1) are reused.
    assert jug("execute", "jf.py", "--keep-going", cwd=tmp_path).returncode == 1
    assert len(results(jugdir)) == 8 and len(lock_files(jugdir)) == 1
    before = files(jugdir)
    run = jug("cleanup", "jf.py", "--dry-run", cwd=tmp_path)
    assert (run.returncode, lines(run)) == (0, ["Would remove 4 objects", "Would remove 1 locks"]), run
    assert files(jugdir) == before

    # Jug 2.7 cleans a copy of the same jugdir, for comparison.
    theirs_dir = tmp_path / "theirs"
    theirs_dir.mkdir()
    shutil.copy(tmp_path / "jf.py", theirs_dir)
    shutil.copy(n, theirs_dir)
    shutil.copytree(jugdir, theirs_dir / "jf.jugdata")
    theirs = jug("cleanup", "--will-cite", "jf.py", "--keep-locks", cwd=theirs_dir, jug=jug27)
    assert theirs.returncode == 0, theirs

    run = jug("cleanup", "jf.py", "--keep-locks", cwd=tmp_path)
    # make_list(4), square(2), square(3) and the old total
    assert (run.returncode, lines(run)) == (0, ["Removed 4 objects"]), run
    assert files(jugdir) == files(theirs_dir / "jf.jugdata")
    assert len(lock_files(jugdir)) == 1
    # Everything the jugfile uses is still there: a new run computes nothing.
    again = jug("execute", "jf.py", "--keep-going", cwd=tmp_path)
    assert summary_table(again.stdout) == {
        "jf.make_list": [0, 1], "jf.square": [0, 2], "jf.total": [0, 1], "Total": [0, 4]}, again

    run = jug("cleanup", "jf.py", "--locks-only", cwd=tmp_path)
    assert (run.returncode, lines(run)) == (0, ["Removed 1 locks"]), run
    assert lock_files(jugdir) == [] and len(results(jugdir)) == 4

    assert jug("execute", "jf.py", "--keep-going", cwd=tmp_path).returncode == 1  # boom fails again
    run = jug("cleanup", "jf.py", cwd=tmp_path)
    assert (run.returncode, lines(run)) == (0, ["Removed 0 objects", "Removed 1 locks"]), run
    assert lock_files(jugdir) == [] and len(results(jugdir)) == 4


def test_cleanup_options_exclude_each_other(jug, jugfile, tmp_path):
    jugfile(SHAPES, name="jf.py")
    (tmp_path / "n.txt").write_text("1")
    run = jug("cleanup", "jf.py", "--locks-only", "--failed-only", cwd=tmp_path)
    assert run.returncode == 2, run
    assert re.search(r"jug: error: .*--locks-only.*exclude", run.stderr), run


# A third-party store that may share its backend with other projects:
# the file store, saying so.
SHARED_STORE_PLUGIN = '''
from jug_file.store import FileStore
from jugcore.plugins import hookimpl
from jugcore.stores.contract import StoreBackend


class SharedFileStore(FileStore):
    owns_all_keys = False


@hookimpl
def jug_store_backends():
    return [StoreBackend("shared", lambda url: SharedFileStore(url.location), "a shared store")]
'''

TWO = """\
from jug import TaskGenerator

@TaskGenerator
def f(x):
    return x

fs = [f(i) for i in range(int(open("n.txt").read()))]
"""


@pytest.fixture
def shared(jugfile, tmp_path, site):
    """The `shared:` store installed (its ``env``), and TWO as jf.py with n.txt = 3."""
    root, env = site
    make_distribution(root, "jug-shared", "0.1", {"shared-store": "shared_store"},
                      {"shared_store": SHARED_STORE_PLUGIN})
    jugfile(TWO, name="jf.py")
    (tmp_path / "n.txt").write_text("3")
    return env


def test_store_shared_with_others_needs_all_in_db(jug, tmp_path, shared):
    args = ["jf.py", "--jugdir", "shared:db"]
    assert jug("execute", *args, cwd=tmp_path, env=shared).returncode == 0
    (tmp_path / "n.txt").write_text("2")  # f(2) is no longer used (or is another project's)

    refused = jug("cleanup", *args, cwd=tmp_path, env=shared)
    assert refused.returncode == 1, refused
    assert "--all-in-db" in refused.stderr and "'shared:db'" in refused.stderr, refused
    assert len(results(tmp_path / "db")) == 3

    locks = jug("cleanup", *args, "--locks-only", cwd=tmp_path, env=shared)
    assert (locks.returncode, lines(locks)) == (0, ["Removed 0 locks"]), locks

    run = jug("cleanup", *args, "--all-in-db", cwd=tmp_path, env=shared)
    assert (run.returncode, lines(run)) == (0, ["Removed 1 objects", "Removed 0 locks"]), run
    assert len(results(tmp_path / "db")) == 2


def test_refusal_hides_the_password_of_a_jugdir_url(jug, tmp_path, shared):
    run = jug("cleanup", "jf.py", "--jugdir", "shared://user:s3cret@host/db", cwd=tmp_path, env=shared)
    assert run.returncode == 1 and "--all-in-db" in run.stderr, run
    assert "s3cret" not in run.output and "shared://user:***@host/db" in run.stderr, run
