"""`jug pack` with real `jug` processes, and the pack shared with Jug 2.7 both ways."""
import json
import subprocess
import sys

import pytest

from pytest_jug import summary_table

JUGFILE = """\
from jug import TaskGenerator
import numpy as np

@TaskGenerator
def small(i):
    return [i, str(i)]

@TaskGenerator
def nothing():
    return None

@TaskGenerator
def array(n):
    return np.arange(n)

@TaskGenerator
def big(n):
    return list(range(0, n * 7919, 7919))

@TaskGenerator
def total(xs, a, b):
    return sum(x[0] for x in xs) + int(a.sum()) + len(b)

smalls = [small(i) for i in range(5)]
a = array(4)
b = big(5000)
n = nothing()
t = total(smalls, a, b)
"""
PACKED = {"jf.small": 5, "jf.nothing": 1, "jf.array": 1, "jf.total": 1}  # 8 results of 512 bytes or less
VALUES = {"smalls": [[i, str(i)] for i in range(5)], "a": [0, 1, 2, 3], "n": None, "t": 10 + 6 + 5000}

VALUES_SCRIPT = """\
import json, jug
from jug import value
store, ns = jug.init("jf.py", "jf.jugdata")
out = {name: value(ns[name]) for name in ("smalls", "a", "n", "t")}
out["a"] = out["a"].tolist()
print(json.dumps(out))
"""


@pytest.fixture
def project(jugfile, tmp_path):
    jugfile(JUGFILE, name="jf.py")
    (tmp_path / "values.py").write_text(VALUES_SCRIPT)
    return tmp_path


def values_seen_by(python, project):
    done = subprocess.run([str(python), "values.py"], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def jugdir_files(project):
    root = project / "jf.jugdata"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.parent.name != "locks")


def run_ok(jug, project, *args, exe=None):
    run = jug(*args, "jf.py", cwd=project, jug=exe)
    assert run.returncode == 0, run
    return run


def expect_all_found(jug, project, exe=None):
    """Status complete and a re-run that loads everything and executes nothing."""
    status = run_ok(jug, project, "status", exe=exe)
    assert summary_table(status.stdout)["Total"] == [0, 0, 0, 9, 0], status
    again = run_ok(jug, project, "execute", exe=exe)
    assert summary_table(again.stdout)["Total"] == [0, 9], again


@pytest.mark.parametrize("packer", ["ours", "jug27"])
def test_a_pack_is_read_by_both(jug, jug27, jug27_python, project, packer):
    exe = jug27 if packer == "jug27" else None
    run_ok(jug, project, "execute", exe=exe)
    packed = run_ok(jug, project, "pack", exe=exe)
    assert packed.stdout.strip() == f"Packed {sum(PACKED.values())} objects", packed
    files = [f for f in jugdir_files(project) if not f.startswith("tempfiles/jugcore-records-")]  # run records stay
    assert "packs/jugpack" in files and len(files) == 2, files  # the pack and big()'s result
    for exe in (None, jug27):
        expect_all_found(jug, project, exe)
    assert values_seen_by(sys.executable, project) == VALUES
    assert values_seen_by(jug27_python, project) == VALUES
    assert run_ok(jug, project, "pack").stdout.strip() == "Packed 0 objects"


@pytest.mark.parametrize("invalidator", ["ours", "jug27"])
def test_invalidating_packed_results(jug, jug27, project, invalidator):
    run_ok(jug, project, "execute")
    run_ok(jug, project, "pack")
    exe = jug27 if invalidator == "jug27" else None
    run_ok(jug, project, "invalidate", "--name" if exe is None else "--target", "jf.small", exe=exe)
    for exe in (None, jug27):
        status = jug("status", "jf.py", cwd=project, jug=exe)
        rows = summary_table(status.stdout)
        assert rows["jf.small"] == [0, 0, 5, 0, 0] and rows["jf.total"] == [0, 1, 0, 0, 0], status
        assert rows["jf.array"][3] == 1 and rows["jf.nothing"][3] == 1, status
    rerun = run_ok(jug, project, "execute")
    assert summary_table(rerun.stdout)["Total"] == [6, 3], rerun


def test_cleanup_removes_packed_results_no_task_uses(jug, jug27, project):
    run_ok(jug, project, "execute")
    run_ok(jug, project, "pack")
    text = (project / "jf.py").read_text().replace("range(5)", "range(3)")
    (project / "jf.py").write_text(text)  # small(3), small(4) and the old total are unused now
    cleaned = run_ok(jug, project, "cleanup")
    assert "Removed 3 objects" in cleaned.stdout, cleaned
    for exe in (None, jug27):
        rows = summary_table(jug("status", "jf.py", cwd=project, jug=exe).stdout)
        assert rows["jf.small"] == [0, 0, 0, 3, 0] and rows["jf.total"] == [0, 0, 1, 0, 0], rows


def test_a_task_stored_again_after_packing_is_read_new_by_both(jug, jug27, jug27_python, project):
    run_ok(jug, project, "execute")
    run_ok(jug, project, "pack")
    # A worker stores small(0) again (after an invalidate elsewhere, say) while it is packed.
    script = ("import jug\nstore, ns = jug.init('jf.py', 'jf.jugdata')\n"
              "store.dump(ns['smalls'][0].hash(), [100, 'new'])\n")
    subprocess.run([sys.executable, "-c", script], cwd=project, check=True)
    for python in (sys.executable, jug27_python):
        assert values_seen_by(python, project)["smalls"][0] == [100, "new"]


def test_pack_refuses_a_store_that_is_not_a_file_jugdir(jug, project):
    run = jug("pack", "jf.py", "--jugdir", "dict_store", cwd=project)
    assert run.returncode == 1, run
    assert run.stderr.startswith("jug: error: only file jugdirs can be packed"), run
    assert "Traceback" not in run.stderr
