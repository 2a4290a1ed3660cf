"""The dict store through the real `jug` command line: `dict_store` and `dict_store:PATH`."""
import json
import pickle
import re
import subprocess
import textwrap
import time

import pytest

from pytest_jug import JUG_BIN, run_jug

JUGFILE = '''
from jug import TaskGenerator

@TaskGenerator
def double(x):
    return 2 * x

@TaskGenerator
def total(xs):
    return {"sum": sum(xs), "items": xs}

doubled = [double(i) for i in range(5)]
result = total(doubled)
'''
N_TASKS = 6
EXPECTED_TOTAL = {"sum": 20, "items": [0, 2, 4, 6, 8]}

HOLDING_JUGFILE = '''
import os
import time
from jug import TaskGenerator

MARKER = {marker!r}
RELEASE = {release!r}

@TaskGenerator
def wait_for_release():
    open(MARKER, "w").close()
    deadline = time.monotonic() + 120
    while not os.path.exists(RELEASE):
        if time.monotonic() > deadline:
            raise RuntimeError("the test never released us")
        time.sleep(0.02)
    return "released"

held = wait_for_release()
'''

JUG27_READER = '''
import json
import sys

import jug
from jug.backends.dict_store import dict_store

jugfile, path = sys.argv[1:3]
_, space = jug.init(jugfile, "dict_store")  # in memory: only to compute task keys
saved = dict_store(path)
saved.backend = None  # read only: do not write the file back on close
out = {}
for name in ("result", "doubled"):
    tasks = space[name] if isinstance(space[name], list) else [space[name]]
    out[name] = [saved.load(t.hash()) if saved.can_load(t.hash()) else "<missing>" for t in tasks]
print(json.dumps(out))
'''


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "jugfile.py"
    path.write_text(textwrap.dedent(JUGFILE))
    return path


def jug(*args, cwd):
    return run_jug(*args, cwd=cwd)


def executed(run):
    """The Total row's Executed count of an execute table (``run`` or its stdout)."""
    stdout = run if isinstance(run, str) else run.stdout
    match = re.search(r"^\s*(\d+)\s+(\d+)\s+Total\s*$", stdout, re.M)
    assert match, run
    return int(match.group(1))


def status_total(run):
    match = re.search(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+Total\s*$", run.stdout, re.M)
    assert match, run
    return dict(zip(["Failed", "Waiting", "Ready", "Complete", "Active"], map(int, match.groups())))


def assert_one_clear_error(run, *needles):
    assert run.returncode != 0, run
    assert "Traceback" not in run.output, run
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run
    for needle in needles:
        assert needle in lines[0], run


def test_in_memory_dict_store_executes(project):
    run = jug("execute", project, "--jugdir", "dict_store", cwd=project.parent)
    assert run.returncode == 0, run
    assert executed(run) == N_TASKS
    assert not (project.parent / "jugfile.jugdata").exists()
    # nothing persists: a second run executes everything again
    again = jug("execute", project, "--jugdir", "dict_store", cwd=project.parent)
    assert again.returncode == 0 and executed(again) == N_TASKS, again


def test_dict_store_path_persists(project):
    path = project.parent / "results.pkl"
    jugdir = f"dict_store:{path}"
    first = jug("execute", project, "--jugdir", jugdir, cwd=project.parent)
    assert first.returncode == 0 and executed(first) == N_TASKS, first
    assert path.is_file()

    second = jug("execute", project, "--jugdir", jugdir, cwd=project.parent)
    assert second.returncode == 0, second
    assert executed(second) == 0

    status = jug("status", project, "--jugdir", jugdir, cwd=project.parent)
    assert status.returncode == 0, status
    assert status_total(status) == {"Failed": 0, "Waiting": 0, "Ready": 0, "Complete": N_TASKS, "Active": 0}
    check = jug("check", project, "--jugdir", jugdir, cwd=project.parent)
    assert check.returncode == 0, check


@pytest.mark.parametrize("command", ["status", "check"])
def test_read_only_commands_do_not_rewrite_the_file(project, command):
    path = project.parent / "results.pkl"
    run = jug("execute", project, "--jugdir", f"dict_store:{path}", cwd=project.parent)
    assert run.returncode == 0, run
    before = path.stat()
    content = path.read_bytes()
    run = jug(command, project, "--jugdir", f"dict_store:{path}", cwd=project.parent)
    assert run.returncode == 0, run
    after = path.stat()
    assert path.read_bytes() == content
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "the file was rewritten"


def test_dict_store_relative_path(project):
    first = jug("execute", project, "--jugdir", "dict_store:rel.pkl", cwd=project.parent)
    assert first.returncode == 0 and executed(first) == N_TASKS, first
    assert (project.parent / "rel.pkl").is_file()
    second = jug("execute", project, "--jugdir", "dict_store:rel.pkl", cwd=project.parent)
    assert second.returncode == 0 and executed(second) == 0, second


def test_dict_store_file_is_jug27_format(project, jug27_python):
    path = project.parent / "results.pkl"
    run = jug("execute", project, "--jugdir", f"dict_store:{path}", cwd=project.parent)
    assert run.returncode == 0, run

    with open(path, "rb") as f:
        data = pickle.load(f)
    assert type(data) is dict
    results = {k: v for k, v in data.items() if k.startswith(b"result:")}
    assert len(results) == N_TASKS
    assert sum(k.startswith(b"record:") for k in data) == N_TASKS
    for k, v in data.items():
        assert type(k) is bytes
        if k.startswith(b"result:"):
            assert re.fullmatch(rb"result:[0-9a-f]{40}", k), k
            assert type(v) is bytes
            pickle.loads(v)
        elif k.startswith(b"record:"):  # run records, which Jug never reads
            assert re.fullmatch(rb"record:[0-9a-f]{40}", k) and type(v) is str, (k, v)
        else:
            assert re.fullmatch(rb"lock:[0-9a-f]{40}", k), k
            assert v == 0, (k, v)  # no lock left held or failed after a clean run
    assert EXPECTED_TOTAL in [pickle.loads(v) for v in results.values()]

    reader = project.parent / "read27.py"
    reader.write_text(JUG27_READER)
    proc = subprocess.run([str(jug27_python), str(reader), str(project), str(path)], cwd=project.parent,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {
        "result": [EXPECTED_TOTAL], "doubled": [0, 2, 4, 6, 8]}


@pytest.mark.parametrize("content", [
    b"this is not a pickle\n",
    pickle.dumps({b"result:" + b"a" * 40: b"x"})[:-5],  # truncated
    pickle.dumps([1, 2, 3]),  # a pickle, but not a dict
], ids=["garbage", "truncated", "not-a-dict"])
@pytest.mark.parametrize("command", ["execute", "status"])
def test_corrupt_dict_store_file(project, content, command):
    path = project.parent / "results.pkl"
    path.write_bytes(content)
    run = jug(command, project, "--jugdir", f"dict_store:{path}", cwd=project.parent)
    assert_one_clear_error(run, str(path))
    assert path.read_bytes() == content  # the user's file is left as it was


@pytest.mark.parametrize("jugdir", ["dict_store", "dict_store:{path}"])
def test_parallel_workers_refused(project, jugdir):
    path = project.parent / "results.pkl"
    run = jug("execute", project, "-j", "2", "--jugdir", jugdir.format(path=path), cwd=project.parent)
    assert_one_clear_error(run, "dict_store")
    assert "-j" in run.stderr or "jobs" in run.stderr or "workers" in run.stderr, run
    assert not path.exists()


def wait_for(condition, proc, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the first jug exited (rc={proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_second_process_on_same_file_is_told_in_use(project, tmp_path):
    marker, release = tmp_path / "started", tmp_path / "release"
    holding = tmp_path / "holding.py"
    holding.write_text(textwrap.dedent(HOLDING_JUGFILE.format(marker=str(marker), release=str(release))))
    path = tmp_path / "shared.pkl"
    jugdir = f"dict_store:{path}"

    first = subprocess.Popen([str(JUG_BIN), "execute", str(holding), "--jugdir", jugdir], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(marker.exists, first, "its task started")
        for command, jugfile in (("status", holding), ("execute", holding), ("execute", project)):
            second = jug(command, jugfile, "--jugdir", jugdir, cwd=tmp_path)
            assert_one_clear_error(second, "in use")
    finally:
        release.touch()
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, (out, err)
    assert executed(out) == 1

    # the first process saved its result and let the file go
    after = jug("execute", holding, "--jugdir", jugdir, cwd=tmp_path)
    assert after.returncode == 0 and executed(after) == 0, after
