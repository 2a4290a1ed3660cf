"""`jug execute -j N` (jugcore.run.local_workers): each worker is told what it is
by one WorkerSpec argument, not by environment variables; the parent shows the
workers' combined progress on whatever display a plugin offers through
``jug_workers_progress``."""
import json
import os

import pytest

from jugcore.run.local_workers import WorkerSpec
from jugcore.run.worker_spec import is_worker_command, split_worker_spec
from pytest_jug import make_distribution, summary_table

ENVIRONMENT_SEEN = """\
import json, os, sys
from jug import TaskGenerator

@TaskGenerator
def seen(i):
    names = sorted(k for k in os.environ if k.startswith("JUG_"))
    with open(f"seen-{os.getpid()}.json", "w") as f:
        json.dump({"env": names, "argv": sys.argv}, f)
    return i

[seen(i) for i in range(20)]
"""


def test_workers_get_the_parents_environment_and_arguments_unchanged(jug, tmp_path):
    (tmp_path / "jugfile.py").write_text(ENVIRONMENT_SEEN)
    given = {"JUG_NO_PROGRESS": "1", "JUG_EXECUTE_KEEP_GOING": "yes"}
    run = jug("execute", "jugfile.py", "-j", "2", "--", "user-arg", cwd=tmp_path, env=given)
    assert run.returncode == 0, run
    assert summary_table(run.stdout)["jugfile.seen"][0] == 20, run
    seen = [json.loads(p.read_text()) for p in tmp_path.glob("seen-*.json")]
    assert seen, run
    expected = sorted(k for k in {**os.environ, **given} if k.startswith("JUG_") and k != "JUG_TRACE_PLUGINS")
    assert all(s["env"] == expected for s in seen), seen  # no JUG_WORKER_*, JUG_PROGRESS_FD, ...
    assert all(s["argv"] == ["jugfile.py", "user-arg"] for s in seen), seen


def test_a_worker_spec_round_trips_as_one_argument():
    spec = WorkerSpec(1, 3, 1714000000.25, "/tmp/reports/1.json", 7)
    argv = spec.command(["jf.py", "--keep-going"])
    assert is_worker_command(argv)
    assert not is_worker_command(["execute", "jf.py", "-j", "3"])
    text, rest = split_worker_spec(argv[1:])
    assert WorkerSpec.from_json(text) == spec and rest == ["jf.py", "--keep-going"]
    assert split_worker_spec(["jf.py"]) == (None, ["jf.py"])
    assert WorkerSpec.from_json(WorkerSpec(0, 2, 1.5, "r.json").to_json()).progress_fd is None


RECORDING_DISPLAY = '''
import json
import os

from jugcore.api import hookimpl


class Recorder:
    def __init__(self, jobs):
        self.path = os.environ["DISPLAY_RECORD"]
        self._write(["jobs", jobs])

    def _write(self, event):
        with open(self.path, "a") as f:
            f.write(json.dumps(event) + "\\n")

    def show(self, done, total, ran, failed):
        self._write(["show", done, total, ran, failed])

    def close(self):
        self._write(["close"])


@hookimpl
def jug_workers_progress(jobs):
    return Recorder(jobs)
'''

MANY = """\
from jug import TaskGenerator

@TaskGenerator
def f(x):
    return x

fs = [f(i) for i in range(40)]
"""


@pytest.mark.parametrize("runs_before", [0, 1])
def test_the_parent_shows_combined_progress_on_a_plugins_display(jug, site, tmp_path, runs_before):
    root, env = site
    make_distribution(root, "fake-display", "1.0", {"fake_display": "fake_display"},
                      {"fake_display": RECORDING_DISPLAY})
    record = tmp_path / "record.jsonl"
    env = dict(env, DISPLAY_RECORD=str(record), JUG_DISABLE_PLUGINS="progress")
    (tmp_path / "jugfile.py").write_text(MANY)
    for _ in range(runs_before):
        assert jug("execute", "jugfile.py", cwd=tmp_path, env=env).returncode == 0
    run = jug("execute", "jugfile.py", "-j", "2", cwd=tmp_path, env=env)
    assert run.returncode == 0, run
    events = [json.loads(line) for line in record.read_text().splitlines()]
    assert events[0] == ["jobs", 2] and events[-1] == ["close"], events
    shows = [e[1:] for e in events if e[0] == "show"]
    assert shows and all(total == 40 and done <= total for done, total, _, _ in shows), shows
    ran = 0 if runs_before else 40
    assert shows[-1] == [40, 40, ran, 0], shows

