"""Run records seen through real `jug` processes: `status --json` per task,
`--timings`, `jug show`, tasks named by their arguments, and results made by
code that has changed since (`status`'s note, `--changed`, `invalidate --changed`)."""
import json
import os
import re
import time

import pytest

from pytest_jug import summary_table

HOST = os.uname().nodename

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def fit(x, scale=1):
    return [v * scale for v in range(x)]

@TaskGenerator
def fragile(x):
    if x == 17:
        raise ValueError("seventeen is not allowed")
    return x

@TaskGenerator
def summary(fits):
    return sum(map(len, fits))

fits = [fit(x, scale=2) for x in (1, 2, 3)]
total = summary(fits)
good = fragile(4)
bad = fragile(x=17)
"""


@pytest.fixture
def project(jugfile, jug, tmp_path):
    jugfile(JUGFILE, name="jf.py")
    run = jug("execute", "jf.py", "--keep-going", cwd=tmp_path)
    assert run.returncode == 1 and "seventeen" in run.stderr + run.stdout, run
    return tmp_path


def edit(folder, old, new):
    path = folder / "jf.py"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def status_json(jug, folder):
    run = jug("status", "jf.py", "--json", cwd=folder)
    return json.loads(run.stdout)


def test_json_has_state_duration_host_and_finish_time_of_every_task(jug, project):
    before = time.time()
    rows = {(r["name"], r["key"]): r for r in status_json(jug, project)["task_states"]}
    assert len(rows) == 6
    by_state = {}
    for (name, _), row in rows.items():
        by_state.setdefault(row["state"], []).append(name)
    assert sorted(by_state["Complete"]) == ["jf.fit"] * 3 + ["jf.fragile", "jf.summary"]
    assert by_state["Failed"] == ["jf.fragile"]
    for row in rows.values():
        if row["state"] == "Complete":
            assert row["host"] == HOST and 0 <= row["duration"] < 5, row
            assert before - 120 < row["finished"] <= before and row["code_changed"] is False, row
        else:
            assert row["duration"] is None and row["host"] is None and row["finished"] is None, row
    failed = status_json(jug, project)["failed"]
    assert [f["label"] for f in failed] == ["jf.fragile(x=17)"]


def test_timings_per_name_and_the_slowest_tasks(jug, project):
    run = jug("status", "jf.py", "--timings", cwd=project)
    lines = run.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.split()[:4] == ["Count", "Total", "Mean", "Max"]))
    per_name = {line.split()[-1]: int(line.split()[0]) for line in lines[start + 1:start + 4]}
    assert per_name == {"jf.fit": 3, "jf.fragile": 1, "jf.summary": 1}, run
    slowest = run.stdout.split("Slowest tasks (5):\n", 1)[1].splitlines()[:5]
    assert any(re.search(r"jf\.fit\(x=3, scale=2\) \[[0-9a-f]{12}\] on " + re.escape(HOST), s) for s in slowest), run


def test_failed_and_active_name_tasks_by_their_arguments(jug, project):
    run = jug("status", "jf.py", "--failed", cwd=project)
    assert re.search(r"^  jf\.fragile\(x=17\) \[[0-9a-f]{12}\]: ValueError: seventeen is not allowed$",
                     run.stdout, re.M), run


def test_show_by_name_index_and_key_prefix(jug, project):
    by_index = jug("show", "jf.py", "fit[-1]", cwd=project)
    assert by_index.returncode == 0, by_index
    out = by_index.stdout
    assert out.startswith("jf.fit(x=3, scale=2)\n") and "  state:        Complete" in out, out
    assert "    x = 3\n    scale = 2\n" in out and "  dependencies: (none)" in out, out
    assert re.search(rf"run record:   on {re.escape(HOST)} pid \d+, started .*, jugcore [\d.]+; computed by the "
                     "same code as now", out), out
    key = re.search(r"key:          ([0-9a-f]{40})", out).group(1)
    by_key = jug("show", "jf.py", key[:10], cwd=project)
    assert by_key.stdout == out, by_key

    summary = jug("show", "jf.py", "summary", cwd=project).stdout
    assert "  dependencies (3):\n    jf.fit(x=1, scale=2)" in summary and ": Complete" in summary, summary
    failed = jug("show", "jf.py", "fragile[1]", cwd=project)
    assert "state:        Failed" in failed.stdout and "failure:      ValueError: seventeen is not allowed" \
        in failed.stdout and 'raise ValueError("seventeen is not allowed")' in failed.stdout, failed


def test_show_says_which_tasks_a_name_matches(jug, project):
    run = jug("show", "jf.py", "fit", cwd=project)
    assert run.returncode == 2 and "fit matches 3 tasks; name one as NAME[index]" in run.stderr, run
    assert "  [2] jf.fit(x=3, scale=2) [" in run.stderr and "Traceback" not in run.stderr, run
    missing = jug("show", "jf.py", "nothing", cwd=project)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no task" in missing.stderr, missing
    out_of_range = jug("show", "jf.py", "fit[3]", cwd=project)
    assert out_of_range.returncode == 2 and "indexes 0 to 2" in out_of_range.stderr, out_of_range


CHANGED_NOTE = ("3 results of jf.fit were computed by a different version of its code: `jug status --changed` "
                "lists them, `jug invalidate --changed` removes them and what depends on them.")


def test_comments_white_space_and_other_functions_raise_no_alarm(jug, project):
    edit(project, "def fit(x, scale=1):\n    return", "def fit(x, scale=1):\n    # why: explained\n\n\n    return")
    edit(project, "    return sum(map(len, fits))", "    return sum(map(len, fits)) + 0  # another function")
    edit(project, "[v * scale for v in range(x)]", "[v  *  scale   for v in range( x )]")
    run = jug("status", "jf.py", cwd=project)
    assert "of jf.fit were" not in run.stdout, run
    assert "1 result of jf.summary was computed by a different version" in run.stdout, run
    listed = jug("status", "jf.py", "--changed", cwd=project)
    assert re.search(r"^  jf\.summary\(fits=\[jf\.fit\[", listed.stdout, re.M) and "jf.fit(" not in listed.stdout


def test_changed_code_is_noted_listed_and_invalidated_with_what_depends_on_it(jug, project):
    edit(project, "[v * scale for v in range(x)]", "[v * scale + 1 for v in range(x)]")  # inside the comprehension
    run = jug("status", "jf.py", cwd=project)
    assert CHANGED_NOTE in run.stdout.splitlines(), run
    listed = jug("status", "jf.py", "--changed", cwd=project)
    assert len(re.findall(r"^  jf\.fit\(x=\d, scale=2\) \[[0-9a-f]{12}\]: computed ", listed.stdout, re.M)) == 3
    removed = jug("invalidate", "jf.py", "--changed", cwd=project)
    assert summary_table(removed.stdout) == {"jf.fit": [3], "jf.summary": [1], "Total": [4]}, removed
    assert json.loads(jug("status", "jf.py", "--json", cwd=project).stdout)["totals"]["Complete"] == 1
    jug("execute", "jf.py", cwd=project)
    again = jug("status", "jf.py", cwd=project)
    assert "different version" not in again.stdout and summary_table(again.stdout)["jf.fit"][3] == 3, again


def test_invalidate_removes_records_with_results(jug, project):
    jug("invalidate", "jf.py", "--name", "summary", cwd=project)
    rows = status_json(jug, project)["task_states"]
    summary = next(r for r in rows if r["name"] == "jf.summary")
    assert summary["state"] == "Ready" and summary["duration"] is None, summary
    timings = jug("status", "jf.py", "--timings", cwd=project).stdout
    per_name = timings.split("Max  Task name\n", 1)[1].split("Slowest")[0]
    assert "jf.fit" in per_name and "jf.summary" not in per_name, timings


def test_results_made_by_jug27_are_unknown_not_changed(jug, jug27, jugfile, tmp_path):
    jugfile(JUGFILE.replace("bad = fragile(x=17)", ""), name="jf.py")
    assert jug("execute", "jf.py", "--will-cite", cwd=tmp_path, jug=jug27).returncode == 0
    edit(tmp_path, "[v * scale for v in range(x)]", "[v * scale + 1 for v in range(x)]")
    run = jug("status", "jf.py", cwd=tmp_path)
    assert run.returncode == 0 and "different version" not in run.stdout, run
    rows = status_json(jug, tmp_path)["task_states"]
    assert {r["code_changed"] for r in rows} == {None} and {r["duration"] for r in rows} == {None}
    timings = jug("status", "jf.py", "--timings", cwd=tmp_path)
    assert "No run records" in timings.stdout, timings
    unchanged = jug("invalidate", "jf.py", "--changed", cwd=tmp_path)
    assert "No results invalidated." in unchanged.stdout, unchanged
    show = jug("show", "jf.py", "summary", cwd=tmp_path)
    assert "run record:   (none: computed by Jug 2.7" in show.stdout, show


@pytest.mark.parametrize("how", ["--no-run-records", ".jugrc"])
def test_records_can_be_turned_off_and_the_results_stay_as_good(jug, jugfile, tmp_path, how):
    jugfile(JUGFILE.replace("bad = fragile(x=17)\n", ""), name="jf.py")
    if how == ".jugrc":
        (tmp_path / ".jugrc").write_text("[execute]\nrun-records = false\n")
    run = jug("execute", "jf.py", *([how] if how.startswith("--") else []), cwd=tmp_path)
    assert run.returncode == 0 and summary_table(run.stdout)["Total"][0] == 5, run
    rows = status_json(jug, tmp_path)["task_states"]
    assert [r["state"] for r in rows] == ["Complete"] * 5 and all(r["duration"] is None for r in rows), rows
    assert not list((tmp_path / "jf.jugdata" / "tempfiles").glob("jugcore-records-*")), "no log was even opened"
    assert jug("invalidate", "jf.py", "--name", "summary", cwd=tmp_path).returncode == 0
    assert jug("execute", "jf.py", "--run-records", cwd=tmp_path).returncode == 0
    rows = {r["name"]: r for r in status_json(jug, tmp_path)["task_states"]}
    assert rows["jf.summary"]["host"] == HOST and rows["jf.fit"]["duration"] is None, rows
