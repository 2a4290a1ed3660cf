"""Interoperability with a real Jug 2.7 on a shared jugdir, in both directions.

Every step is a real process: Jug 2.7's `jug` (from its own cached venv), our
`jug`, and small reader scripts that call `jug.init` + `jug.value` under each
implementation's python.  Values are compared through a canonical pickle each
reader writes (type names, dtypes, shapes and raw bytes included).
"""
import json
import os
import pickle
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from jug_file.records import REWRITTEN_AFTER

OUR_PYTHON = Path(sys.executable)

# Shared by the jugfile (inside a task) and by this module (expected values).
VALUE_CODE = '''
def make_value(kind):
    import numpy as np
    if kind == "none":
        return None
    if kind == "int":
        return 42
    if kind == "bigint":
        return -(2 ** 100) + 7
    if kind == "str":
        return "h\\u00e9llo, w\\u00f6rld \\u2603"
    if kind == "bytes":
        return bytes(range(256)) * 3
    if kind == "nested":
        return {"a": [1, 2.5, None, {"b": (3, "x"), "c": [[], {}]}], 7: {"k": b"v"}, "t": (1, (2, (3,)))}
    if kind == "float2d":
        return np.arange(35, dtype=np.float64).reshape(5, 7) / 3.0
    if kind == "int2d":
        return (np.arange(24, dtype=np.int32).reshape(4, 6) - 12)
    if kind == "fortran":
        return np.asfortranarray(np.arange(12, dtype=np.uint16).reshape(3, 4))
    if kind == "objarray":
        arr = np.empty(5, dtype=object)
        arr[:] = [1, "two", None, [3, 4], {"five": 5}]
        return arr
    if kind == "npscalar":
        return np.float32(1.25)
    if kind == "biglist":
        return [i * 3 for i in range(200000)]
    raise ValueError(kind)

KINDS = ["none", "int", "bigint", "str", "bytes", "nested", "float2d", "int2d", "fortran",
         "objarray", "npscalar", "biglist"]
'''

CANON_CODE = '''
def canon(v):
    import numpy as np
    if isinstance(v, np.ndarray):
        if v.dtype.hasobject:
            return ("ndarray-object", v.shape, [canon(x) for x in v.ravel(order="K").tolist()])
        return ("ndarray", v.dtype.str, v.shape, np.ascontiguousarray(v).tobytes())
    if isinstance(v, np.generic):
        return ("npscalar", type(v).__name__, v.tobytes())
    if isinstance(v, dict):
        return ("dict", sorted(((canon(k), canon(x)) for k, x in v.items()), key=repr))
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, [canon(x) for x in v])
    return (type(v).__name__, v)
'''

VALUES_JUGFILE = VALUE_CODE + '''
from jug import TaskGenerator

@TaskGenerator
def produce(kind):
    return make_value(kind)

@TaskGenerator
def combine(a, b, c):
    return {"int": a, "nested": b, "array_sum": float(c.sum())}

results = {kind: produce(kind) for kind in KINDS}
results["combined"] = combine(results["int"], results["nested"], results["float2d"])
'''

FAILING_JUGFILE = '''
from jug import TaskGenerator

@TaskGenerator
def good(x):
    return x + 1

@TaskGenerator
def boom(x):
    raise RuntimeError("boom %d" % x)

@TaskGenerator
def after(x):
    return x

goods = [good(i) for i in range(3)]
bad = boom(7)
later = after(bad)
'''

BARRIER_JUGFILE = '''
from jug import TaskGenerator, barrier, value

@TaskGenerator
def double(x):
    return 2 * x

@TaskGenerator
def add_all(xs, offset):
    return sum(xs) + offset

doubled = [double(i) for i in range(4)]
barrier()
total = add_all(doubled, value(doubled[-1]))
results = {"doubled": doubled, "total": total}
'''
BARRIER_STAGE1 = ("jugfile.double", 4)
BARRIER_STAGE2 = 1
BARRIER_EXPECTED = {"doubled": [0, 2, 4, 6], "total": 18}

BVALUE_JUGFILE = '''
from jug import TaskGenerator, bvalue

@TaskGenerator
def split(n):
    return [list(range(i, i + 3)) for i in range(0, n, 3)]

@TaskGenerator
def chunk_sum(xs):
    return sum(xs)

@TaskGenerator
def grand_total(sums):
    return {"sums": sums, "total": sum(sums)}

parts = split(12)
sums = [chunk_sum(p) for p in bvalue(parts)]
results = {"parts": parts, "total": grand_total(sums)}
'''
BVALUE_STAGE1 = ("jugfile.split", 1)
BVALUE_STAGE2 = 5  # 4 chunk_sum + grand_total
BVALUE_EXPECTED = {
    "parts": [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]],
    "total": {"sums": [3, 12, 21, 30], "total": 66},
}

READER_SCRIPT = CANON_CODE + '''
import pickle
import sys

import jug

jugfile, jugdir, out = sys.argv[1:4]
store, space = jug.init(jugfile, jugdir)
values = jug.value(space["results"])
with open(out, "wb") as f:
    pickle.dump(canon(values), f, protocol=4)
'''

_namespace = {}
exec(VALUE_CODE + CANON_CODE, _namespace)
canon = _namespace["canon"]


def expected_values():
    values = {kind: _namespace["make_value"](kind) for kind in _namespace["KINDS"]}
    values["combined"] = {"int": 42, "nested": values["nested"], "array_sum": float(values["float2d"].sum())}
    return canon(values)


# --- helpers -----------------------------------------------------------------
class Impl:
    """One implementation: how to run its CLI (with the flags it needs) and its python."""

    def __init__(self, name, exe, python, extra):
        self.name = name
        self.exe = exe
        self.python = python
        self.extra = extra

    def __repr__(self):
        return self.name


@pytest.fixture
def ours():
    return Impl("ours", None, OUR_PYTHON, [])


@pytest.fixture
def theirs(jug27, jug27_python):
    return Impl("jug27", jug27, jug27_python, ["--will-cite"])


class Project:
    def __init__(self, folder, run_jug):
        self.folder = folder
        self.run_jug = run_jug
        self.jugfile = folder / "jugfile.py"
        self.jugdir = folder / "jugfile.jugdata"

    def write(self, text):
        self.jugfile.write_text(textwrap.dedent(text))
        (self.folder / "read_values.py").write_text(READER_SCRIPT)
        return self

    def run(self, impl, command, *args, env=None):
        return self.run_jug(command, self.jugfile, *impl.extra, *args, cwd=self.folder, jug=impl.exe, env=env)

    def read_values(self, impl, name, env=None):
        proc, out = self.run_reader(impl, name, env)
        assert proc.returncode == 0, f"{impl} reader failed:\n{proc.stdout}\n{proc.stderr}"
        with open(out, "rb") as f:
            return pickle.load(f)

    def run_reader(self, impl, name, env=None):
        out = self.folder / f"values-{impl.name}-{name}.pickle"
        proc = subprocess.run(
            [str(impl.python), str(self.folder / "read_values.py"), str(self.jugfile), str(self.jugdir), str(out)],
            cwd=self.folder, capture_output=True, text=True, timeout=120, env=dict(os.environ, **(env or {})),
        )
        return proc, out

    def result_keys(self):
        keys = set()
        for sub in self.jugdir.iterdir():
            if len(sub.name) == 2 and sub.is_dir():
                keys.update(sub.name + f.name for f in sub.iterdir())
        return keys


@pytest.fixture
def project(tmp_path, jug):
    return Project(tmp_path, jug)


def table(output):
    """Parse a summary table (Jug's or ours) into {task name: {column: int}}."""
    columns = None
    rows = {}
    for line in output.splitlines():
        words = line.split()
        if words[-2:] == ["Task", "name"]:
            columns = words[:-2]
            continue
        if columns and len(words) == len(columns) + 1 and all(w.isdigit() for w in words[:-1]):
            rows[words[-1]] = dict(zip(columns, map(int, words[:-1])))
    assert columns is not None and "Total" in rows, f"no summary table in:\n{output}"
    return rows


def assert_all_complete(run, expected_total):
    assert run.returncode == 0, run
    rows = table(run.stdout)
    total = rows["Total"]
    assert total["Complete"] == expected_total, run
    assert total["Failed"] == total["Waiting"] == total["Ready"] == total["Active"] == 0, run


def assert_executed(run, n, loaded=None):
    assert run.returncode == 0, run
    total = table(run.stdout)["Total"]
    assert total["Executed"] == n, run
    if loaded is not None:
        assert total["Loaded"] == loaded, run


N_VALUE_TASKS = 13  # 12 kinds + combine


def assert_read_back(project, reader, writer, name, reader_env=None):
    """The values ``writer`` wrote are complete for ``reader`` (nothing left to run)
    and read back the same by both (``reader_env``: the reader's settings)."""
    assert project.jugdir.is_dir()

    assert_all_complete(project.run(reader, "status"), N_VALUE_TASKS)
    check = project.run(reader, "check")
    assert check.returncode == 0, check
    assert_executed(project.run(reader, "execute"), 0)

    expected = expected_values()
    assert project.read_values(reader, name, reader_env) == expected
    assert project.read_values(writer, name) == expected


# --- (a) Jug 2.7 writes, we read ------------------------------------------------
# Jug 2.7 writes None as an empty file, which we take for a write cut short unless
# told that Jug 2.7 wrote the jugdir.
JUG27_EMPTY_IS_NONE = {"JUG_FILE_EMPTY_RESULT_IS_NONE": "1"}


def test_jug27_results_are_complete_and_readable_by_us(project, ours, theirs):
    project.write(VALUES_JUGFILE)
    run = project.run(theirs, "execute")
    assert run.returncode == 0, run
    assert_read_back(project, ours, theirs, "a", reader_env=JUG27_EMPTY_IS_NONE)


def test_jug27_none_results_without_the_setting_are_one_clear_error_naming_it(project, ours, theirs):
    project.write(VALUES_JUGFILE)
    assert project.run(theirs, "execute").returncode == 0
    proc, _ = project.run_reader(ours, "strict")
    assert proc.returncode != 0
    assert "is empty" in proc.stderr and "empty-result-is-none = true" in proc.stderr, proc.stderr


# --- (b) we write, Jug 2.7 reads --------------------------------------------------
def test_our_results_are_complete_and_readable_by_jug27(project, ours, theirs):
    project.write(VALUES_JUGFILE)
    assert_executed(project.run(ours, "execute"), N_VALUE_TASKS)
    assert_read_back(project, theirs, ours, "b")


def test_both_write_results_under_the_same_keys(tmp_path, jug, ours, theirs):
    projects = {}
    for impl in (ours, theirs):
        folder = tmp_path / impl.name
        folder.mkdir()
        projects[impl.name] = Project(folder, jug).write(VALUES_JUGFILE)
        run = projects[impl.name].run(impl, "execute")
        assert run.returncode == 0, run
    keys = projects["ours"].result_keys()
    assert len(keys) == N_VALUE_TASKS
    assert keys == projects["jug27"].result_keys()


# --- (c) failed locks --------------------------------------------------------------
def _keep_failed(project, writer):
    """``writer`` executes FAILING_JUGFILE with --keep-failed: the one lock left, failed (mtime 1)."""
    project.write(FAILING_JUGFILE)
    run = project.run(writer, "execute", "--keep-failed")
    assert run.returncode != 0, run
    locks = list((project.jugdir / "locks").iterdir())
    assert len(locks) == 1 and locks[0].stat().st_mtime == 1
    return locks


def _assert_failed_state(project, reader):
    status = project.run(reader, "status")
    rows = table(status.stdout)
    assert rows["jugfile.boom"]["Failed"] == 1, status
    assert rows["jugfile.after"]["Waiting"] == 1, status
    assert rows["jugfile.good"]["Complete"] == 3, status
    assert rows["Total"]["Failed"] == 1, status
    assert project.run(reader, "check").returncode != 0


def test_jug27_failed_lock_shows_failed_in_our_status(project, ours, theirs):
    locks = _keep_failed(project, theirs)
    _assert_failed_state(project, ours)
    # the failed task is not retried, and its lock stays failed
    again = project.run(ours, "execute")
    assert table(again.stdout).get("jugfile.boom", {}).get("Executed", 0) == 0, again
    assert "RuntimeError" not in again.output, again
    assert locks[0].stat().st_mtime == 1


def test_our_failed_lock_shows_failed_in_jug27_status(project, ours, theirs):
    locks = _keep_failed(project, ours)
    _assert_failed_state(project, theirs)
    # (Jug 2.7 would idle 30 minutes waiting for `after`, whose dependency failed)
    again = project.run(theirs, "execute", "--nr-wait-cycles", "0")
    assert "RuntimeError" not in again.output, again
    assert_executed(again, 0)
    assert locks[0].stat().st_mtime == 1


# --- (d) barrier() / bvalue() started by one, finished by the other ----------------
@pytest.mark.parametrize("first_name", ["ours", "jug27"])
@pytest.mark.parametrize(
    "text,stage1,stage2,expected",
    [
        (BARRIER_JUGFILE, BARRIER_STAGE1, BARRIER_STAGE2, BARRIER_EXPECTED),
        (BVALUE_JUGFILE, BVALUE_STAGE1, BVALUE_STAGE2, BVALUE_EXPECTED),
    ],
    ids=["barrier", "bvalue"],
)
def test_barrier_jugfile_half_run_by_one_finished_by_other(project, ours, theirs, first_name, text, stage1,
                                                           stage2, expected):
    first, second = (ours, theirs) if first_name == "ours" else (theirs, ours)
    project.write(text)
    stage1_name, stage1_count = stage1

    # the first implementation runs only the tasks before the barrier
    half = project.run(first, "execute", "--name", stage1_name)
    assert_executed(half, stage1_count)
    assert len(project.result_keys()) == stage1_count
    assert project.run(second, "check").returncode != 0

    # the second sees them complete, runs only what follows the barrier
    rest = project.run(second, "execute")
    assert_executed(rest, stage2)
    assert table(rest.stdout)[stage1_name].get("Executed", 0) == 0, rest
    assert len(project.result_keys()) == stage1_count + stage2

    for impl in (first, second):
        assert_all_complete(project.run(impl, "status"), stage1_count + stage2)
        assert project.run(impl, "check").returncode == 0
        assert_executed(project.run(impl, "execute"), 0)
        assert project.read_values(impl, first_name) == canon(expected)


# --- run records: Jug 2.7 on a jugdir that has them ----------------------------------
def record_logs(project):
    return list((project.jugdir / "tempfiles").glob("jugcore-records-*.log"))


def recorded(project, ours):
    """{task name: how many of its tasks show a run record} in our `status --json`."""
    rows = json.loads(project.run(ours, "status", "--json").stdout)["task_states"]
    counts = {}
    for row in rows:
        counts[row["name"]] = counts.get(row["name"], 0) + (row["duration"] is not None)
    return counts


def test_jug27_status_execute_cleanup_on_a_jugdir_with_records(project, ours, theirs):
    project.write(VALUES_JUGFILE)
    assert_executed(project.run(ours, "execute"), N_VALUE_TASKS)
    executed_at = time.time()
    assert record_logs(project) and recorded(project, ours) == {"jugfile.produce": N_VALUE_TASKS - 1,
                                                                 "jugfile.combine": 1}
    assert_all_complete(project.run(theirs, "status"), N_VALUE_TASKS)
    assert_executed(project.run(theirs, "execute"), 0)
    cleanup = project.run(theirs, "cleanup")
    assert cleanup.returncode == 0 and cleanup.stdout.splitlines()[0] == "Removed 0 objects", cleanup
    assert record_logs(project) and recorded(project, ours)["jugfile.combine"] == 1
    assert_read_back(project, theirs, ours, "records")

    # Jug 2.7 computes combine again: its new result has no record (unknown), the others keep theirs.
    # (A file written within REWRITTEN_AFTER of our record counts as ours: Jug 2.7 is never that quick.)
    time.sleep(max(0.0, executed_at + REWRITTEN_AFTER - time.time()))
    assert project.run(theirs, "invalidate", "--name", "combine").returncode == 0
    assert_executed(project.run(theirs, "execute"), 1)
    assert recorded(project, ours) == {"jugfile.produce": N_VALUE_TASKS - 1, "jugfile.combine": 0}


def test_our_cleanup_and_invalidate_remove_records_with_results(project, ours, theirs):
    project.write(VALUES_JUGFILE)
    assert_executed(project.run(ours, "execute"), N_VALUE_TASKS)
    before = project.result_keys()
    project.write(VALUES_JUGFILE.replace('results["combined"] = combine(results["int"], results["nested"], '
                                         'results["float2d"])', ""))
    cleanup = project.run(ours, "cleanup")
    assert cleanup.stdout.splitlines()[0] == "Removed 1 objects", cleanup
    (gone,) = before - project.result_keys()
    logs = b"".join(p.read_bytes() for p in record_logs(project))
    record_lines = re.findall(rb"^([0-9a-f]{40}) \d+ ", logs, re.MULTILINE)
    assert len(record_logs(project)) == 1 and gone.encode() not in record_lines, logs
    assert len(record_lines) == N_VALUE_TASKS - 1  # the ended writer's log, rewritten with what is current
    assert project.run(ours, "invalidate", "--name", "produce").returncode == 0
    assert recorded(project, ours) == {"jugfile.produce": 0}
    status = project.run(theirs, "status")
    assert table(status.stdout)["Total"]["Ready"] == N_VALUE_TASKS - 1, status
