"""A Redis database shared with the real Jug 2.7: each reads what the other wrote."""
import json
import subprocess
import sys
import textwrap

import pytest

from pytest_jug import summary_table

JUGFILE = """\
from jug import TaskGenerator
import numpy as np

@TaskGenerator
def make(kind):
    if kind == "none":
        return None
    if kind == "small":
        return np.arange(10.0)
    if kind == "large":  # over 1 MiB: we store it uncompressed, still in Jug's format
        return np.arange(300_000, dtype=np.float64)
    return {"kind": kind, "items": [1, (2, 3)]}

@TaskGenerator
def count(values):
    return len(values)

results = [make(k) for k in ("none", "small", "large", "dict")]
total = count(results)
"""

# Prints what the jugfile's results are, with whichever `jug` package imports first.
READ_BACK = """\
import sys
import numpy as np
import jug
_, namespace = jug.init("jugfile.py", sys.argv[1])
values = jug.value(namespace["results"])
print([None if v is None else (v.dtype.str, v.shape, float(v.sum())) if isinstance(v, np.ndarray) else v
       for v in values], jug.value(namespace["total"]))
"""
EXPECTED = ("[None, ('<f8', (10,), 45.0), ('<f8', (300000,), 44999850000.0), "
            "{'kind': 'dict', 'items': [1, (2, 3)]}] 4")


@pytest.fixture
def project(tmp_path, redis_server):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    (tmp_path / "read_back.py").write_text(READ_BACK)
    return tmp_path


def read_back(python, url, cwd):
    proc = subprocess.run([str(python), "read_back.py", url], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def jug27_url(server):
    return f"redis://127.0.0.1:{server.port}/"  # Jug 2.7 ignores a database number


def test_jug27_reads_what_we_wrote(project, redis_server, jug, jug27, jug27_python):
    url = redis_server.url(0)
    run = jug("execute", "jugfile.py", "--jugdir", url, cwd=project)
    assert run.returncode == 0, run
    assert summary_table(run.stdout)["Total"] == [5, 0]
    status = jug("status", "jugfile.py", "--jugdir", jug27_url(redis_server), "--will-cite", cwd=project,
                 jug=jug27)
    assert status.returncode == 0, status
    assert summary_table(status.stdout)["Total"][3] == 5  # the Complete column
    assert read_back(jug27_python, jug27_url(redis_server), project) == EXPECTED
    again = jug("execute", "jugfile.py", "--jugdir", jug27_url(redis_server), "--will-cite", cwd=project,
                jug=jug27)
    assert summary_table(again.stdout)["Total"] == [0, 5], again  # nothing to run again


def test_we_read_what_jug27_wrote(project, redis_server, jug, jug27):
    run = jug("execute", "jugfile.py", "--jugdir", jug27_url(redis_server), "--will-cite", cwd=project, jug=jug27)
    assert run.returncode == 0, run
    status = jug("status", "jugfile.py", "--jugdir", redis_server.url(0), cwd=project)
    assert summary_table(status.stdout)["Total"][3] == 5, status
    assert read_back(sys.executable, redis_server.url(0), project) == EXPECTED
    again = jug("execute", "jugfile.py", "--jugdir", redis_server.url(0), cwd=project)
    assert summary_table(again.stdout)["Total"] == [0, 5], again


def test_we_honour_the_database_number_jug27_ignores(project, redis_server, jug):
    assert jug("execute", "jugfile.py", "--jugdir", redis_server.url(1), cwd=project).returncode == 0
    status = jug("status", "jugfile.py", "--jugdir", redis_server.url(0), cwd=project)
    assert summary_table(status.stdout)["Total"][3] == 0, status


def test_jug27_sees_our_failed_lock(project, redis_server, jug, jug27):
    (project / "jugfile.py").write_text(textwrap.dedent("""\
        from jug import TaskGenerator

        @TaskGenerator
        def boom():
            raise ValueError("deliberate")

        b = boom()
    """))
    run = jug("execute", "jugfile.py", "--jugdir", redis_server.url(0), "--keep-failed", cwd=project)
    assert run.returncode == 1, run
    status = jug("status", "jugfile.py", "--jugdir", jug27_url(redis_server), "--will-cite", cwd=project,
                 jug=jug27)
    assert summary_table(status.stdout)["Total"][0] == 1, status  # Jug 2.7's Failed column


def _record_lines(redis_server):
    """{kind: lines} of every worker's record log: records ('r1 ...') and removals ('-<time>')."""
    import redis

    client = redis.Redis(port=redis_server.port)
    try:
        lines = b"".join(client.get(name) for name in client.scan_iter(match="record-log:*")).splitlines()
    finally:
        client.close()
    kinds = {"records": [], "removals": []}
    for line in lines:
        kinds["removals" if line.split(b" ")[1].startswith(b"-") else "records"].append(line)
    return kinds


def test_jug27_runs_status_execute_cleanup_on_a_database_with_run_records(project, redis_server, jug, jug27):
    url = redis_server.url(0)
    assert summary_table(jug("execute", "jugfile.py", "--jugdir", url, cwd=project).stdout)["Total"] == [5, 0]
    assert len(_record_lines(redis_server)["records"]) == 5  # the large result (staged commit) has one too
    theirs = ("--jugdir", jug27_url(redis_server), "--will-cite")
    status = jug("status", "jugfile.py", *theirs, cwd=project, jug=jug27)
    assert summary_table(status.stdout)["Total"] == [0, 0, 0, 5, 0], status
    again = jug("execute", "jugfile.py", *theirs, cwd=project, jug=jug27)
    assert summary_table(again.stdout)["Total"] == [0, 5], again
    cleanup = jug("cleanup", "jugfile.py", *theirs, cwd=project, jug=jug27)
    assert cleanup.stdout.splitlines()[0] == "Removed 0 objects", cleanup
    ours = json.loads(jug("status", "jugfile.py", "--jugdir", url, "--json", cwd=project).stdout)
    assert [row["duration"] is not None for row in ours["task_states"]] == [True] * 5, ours

    removed = jug("invalidate", "jugfile.py", "--jugdir", url, "--name", "make", cwd=project)
    assert summary_table(removed.stdout)["Total"] == [5], removed
    assert _record_lines(redis_server) == {"records": [], "removals": []}  # gone with their results
    assert all(row["duration"] is None for row in json.loads(
        jug("status", "jugfile.py", "--jugdir", url, "--json", cwd=project).stdout)["task_states"])
