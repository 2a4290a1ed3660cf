"""`jug status --json` and `jug status --active`: counts for programs, and who runs
what (a live worker with owner and age, a SIGKILLed worker's lock shown as gone)."""
import json
import os
import re
import signal

from pytest_jug import lock_files, must, sample_jugfile, summary_table, with_sync

STATES = ["Failed", "Waiting", "Ready", "Complete", "Active"]

# double x3 -> total -> hold (waits for `go`); after a barrier, hold again
STAGES = with_sync(sample_jugfile(n=3) + """
from jug import barrier

@TaskGenerator
def hold(x):
    touch("hold_started")
    wait_for("go")
    return x

h = hold(result)
barrier()
again = hold([h])
""")


def status_json(jug, folder):
    run = jug("status", "jf.py", "--json", cwd=folder)
    return run.returncode, json.loads(run.stdout)


def counts(data):
    """{name: [Failed, Waiting, Ready, Complete, Active]} of a --json answer, with Total."""
    rows = {name: [row[s] for s in STATES] for name, row in data["tasks"].items()}
    rows["Total"] = [data["totals"][s] for s in STATES]
    return rows


def test_json_counts_match_the_table_at_each_stage(jug, jugfile, tmp_path, background):
    jugfile(STAGES, name="jf.py")
    code, data = status_json(jug, tmp_path)
    assert code == 1 and data["complete"] is False and data["stopped_at_barrier"] is True
    assert counts(data) == {"jf.double": [0, 0, 3, 0, 0], "jf.total": [0, 1, 0, 0, 0], "jf.hold": [0, 1, 0, 0, 0],
                            "Total": [0, 2, 3, 0, 0]}
    assert data["totals"]["Total"] == 5 and data["failed"] == [] and data["active"] == []
    table = jug("status", "jf.py", cwd=tmp_path)
    assert summary_table(table.stdout) == counts(data), table

    worker = background("worker", "execute", "jf.py")
    must(lambda: (tmp_path / "hold_started").exists(), 60, "the worker to start hold")
    code, data = status_json(jug, tmp_path)
    assert code == 1 and counts(data)["Total"] == [0, 0, 0, 4, 1]
    (active,) = data["active"]
    assert (active["name"], active["dead"]) == ("jf.hold", False), data
    assert active["owner"] == f"{os.uname().nodename} pid {worker.proc.pid}"

    (tmp_path / "go").touch()
    assert worker.wait(60) == 0, worker
    code, data = status_json(jug, tmp_path)
    assert code == 0 and data["complete"] is True and data["stopped_at_barrier"] is False
    assert counts(data)["jf.hold"] == [0, 0, 0, 2, 0] and data["totals"]["Total"] == 6


def test_active_shows_owner_and_age_then_a_killed_worker_as_gone(jug, jugfile, tmp_path, background):
    jugfile(STAGES, name="jf.py")
    worker = background("worker", "execute", "jf.py")
    must(lambda: (tmp_path / "hold_started").exists(), 60, "the worker to start hold")
    owner = f"{os.uname().nodename} pid {worker.proc.pid}"
    key = lock_files(tmp_path / "jf.jugdata")[0][:12]

    run = jug("status", "jf.py", "--active", cwd=tmp_path)
    assert summary_table(run.stdout)["jf.hold"] == [0, 0, 0, 0, 1], run
    listing = run.stdout.split("Running (1):\n", 1)[1].splitlines()
    assert re.fullmatch(rf"  jf\.hold\(x=jf\.total\[[0-9a-f]{{8}}\]\) \[{key}\]: {owner}, for \d+ s", listing[0]), run
    assert "gone" not in run.stdout
    # a running task's lock is not a failure
    cleanup = jug("cleanup", "jf.py", "--failed-only", cwd=tmp_path)
    assert cleanup.stdout.strip() == "Removed 0 failure locks" and len(lock_files(tmp_path / "jf.jugdata")) == 1

    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait(10)
    run = jug("status", "jf.py", "--active", cwd=tmp_path)
    assert summary_table(run.stdout)["jf.hold"] == [0, 0, 1, 0, 0], run  # free to take, not running
    assert "1 lock left by workers that are gone" in run.stdout, run
    assert "Running (" not in run.stdout, run
    listing = run.stdout.split("Held by workers that are gone (taken over by the next worker) (1):\n", 1)[1]
    assert re.match(rf"  jf\.hold\(x=jf\.total\[[0-9a-f]{{8}}\]\) \[{key}\]: {owner}, for \d+ s", listing), run
    code, data = status_json(jug, tmp_path)
    assert [(a["name"], a["owner"], a["dead"]) for a in data["active"]] == [("jf.hold", owner, True)], data

    # nothing running at all
    (tmp_path / "go").touch()
    assert jug("execute", "jf.py", cwd=tmp_path).returncode == 0
    run = jug("status", "jf.py", "--active", cwd=tmp_path)
    assert run.returncode == 0 and "No task is being run." in run.stdout, run
