"""Jug 2's hooks in a jugfile (``jug.hooks``, ``jug.hooks.exit_checks``,
``jug.hooks.execution``) have Jug's effect on a real `jug execute`: each
jugfile runs once under Jug 2.7.0 and once under ours, and both stop after
the same number of tasks, exit 0 and leave the rest for the next run; the
jugfile hook points (jug_tasks_skipped ... jug_execute_reported) are ours."""
import textwrap

import pytest

HEAD = """\
import os, sys
from jug import TaskGenerator, value
from jug.hooks import register_hook
from jug.hooks.exit_checks import (exit_after_n_tasks, exit_after_time, exit_env_vars, exit_if_file_exists,
                                   exit_when_true)

@TaskGenerator
def double(x):
    if x == 2:
        open("made-by-task-2", "w").close()
    return 2 * x

"""
TAIL = "\nresults = [double(i) for i in range(6)]\n"


EXIT_CHECKS = {
    # jugfile lines: tasks executed by the first run
    "exit_after_n_tasks(2)": 2,
    "exit_after_time(seconds=0)": 1,  # looked at after each task: one runs
    "exit_if_file_exists('made-by-task-2')": 3,  # looked at before each task
    "exit_when_true(lambda t: value(t) == 6, function_takes_Task=True)": 4,
    "exit_env_vars({'JUG_MAX_TASKS': '3'})": 3,
    "register_hook('execute.task-executed1', lambda t: sys.exit(0) if value(t) >= 2 else None)": 2,
}


def _results(jugdir):
    """How many results a file jugdir holds (the same layout for Jug 2.7 and us)."""
    if not jugdir.is_dir():
        return 0
    return sum(1 for folder in jugdir.iterdir() if len(folder.name) == 2 for _ in folder.iterdir())


def _run_twice(jug, exe, folder, extra=()):
    first = jug("execute", "jugfile.py", *extra, cwd=folder, jug=exe)
    done_first = _results(folder / "jugfile.jugdata")
    (folder / "made-by-task-2").unlink(missing_ok=True)
    second = jug("execute", "jugfile.py", *extra, cwd=folder, jug=exe)
    return first, done_first, second


@pytest.mark.parametrize("line", EXIT_CHECKS, ids=[line.split("(")[0] for line in EXIT_CHECKS])
def test_exit_check_stops_after_as_many_tasks_as_jug27(line, jug, jug27, tmp_path):
    counts = {}
    for name, exe, extra in [("jug27", jug27, ["--will-cite"]), ("ours", None, [])]:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "jugfile.py").write_text(HEAD + line + "\n" + TAIL)
        # --no-check-environment: only the jugfile's own check may stop the worker.
        first, done_first, second = _run_twice(jug, exe, folder, [*extra, "--no-check-environment"])
        assert first.returncode == 0, (name, first)
        assert "Traceback" not in first.output, (name, first)
        counts[name] = done_first
        assert _results(folder / "jugfile.jugdata") > done_first, (name, second)  # the next run goes on
    assert counts["ours"] == counts["jug27"] == EXIT_CHECKS[line], counts


def test_our_worker_says_why_it_stopped(jug, jugfile):
    folder = jugfile(HEAD + "exit_after_n_tasks(2)\n" + TAIL).parent
    run = jug("execute", "jugfile.py", cwd=folder)
    assert run.returncode == 0, run
    assert "2 tasks were executed (exit_after_n_tasks)" in run.stderr, run
    assert _results(folder / "jugfile.jugdata") == 2


def test_exit_checks_count_once_over_barrier_passes(jug, jugfile):
    """The jugfile is imported again after a barrier: the count goes on, it does not restart."""
    folder = jugfile(HEAD + "from jug import barrier\nexit_after_n_tasks(4)\n"
                     "first = [double(i) for i in range(3)]\nbarrier()\nsecond = [double(i) for i in range(10, 13)]\n"
                     ).parent
    run = jug("execute", "jugfile.py", cwd=folder)
    assert run.returncode == 0, run
    assert _results(folder / "jugfile.jugdata") == 4


def test_every_jug2_hook_point_is_called_in_order(jug, jugfile):
    folder = jugfile(textwrap.dedent("""\
        from jug import TaskGenerator
        from jug.hooks import register_hook_once

        def note(what):
            def write(*task):
                with open("events", "a") as f:
                    f.write(what + (" " + task[0].name if task else "") + "\\n")
            return write

        for hook in ("execute.task-loadable", "execute.task-pre-execute", "execute.task-executed1",
                     "execute.finished_pre_status", "execute.finished_post_status"):
            register_hook_once(hook, hook, note(hook))

        @TaskGenerator
        def one():
            return 1

        one()
        """)).parent
    run = jug("execute", "jugfile.py", cwd=folder)
    assert run.returncode == 0, run
    assert (folder / "events").read_text().splitlines() == [
        "execute.task-pre-execute jugfile.one", "execute.task-executed1 jugfile.one",
        "execute.finished_pre_status", "execute.finished_post_status"]
    (folder / "events").unlink()
    assert jug("execute", "jugfile.py", cwd=folder).returncode == 0
    assert (folder / "events").read_text().splitlines() == [
        "execute.task-loadable jugfile.one", "execute.finished_pre_status", "execute.finished_post_status"]


def test_register_time_tasks_prints_after_the_table_as_jug27_does(jug, jug27, tmp_path):
    jugfile_text = HEAD + "from jug.hooks.execution import register_time_tasks\nregister_time_tasks()\n" + TAIL
    outputs = {}
    for name, exe, extra in [("jug27", jug27, ["--will-cite"]), ("ours", None, [])]:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "jugfile.py").write_text(jugfile_text)
        run = jug("execute", "jugfile.py", *extra, cwd=folder, jug=exe)
        assert run.returncode == 0, run
        outputs[name] = run.stdout
    for name, stdout in outputs.items():
        assert stdout.index("Total") < stdout.index("TIMES"), (name, stdout)
        assert "jugfile.double" in stdout.split("TIMES")[1] and "(6 tasks)" in stdout.split("TIMES")[1], stdout


def test_an_unknown_hook_name_is_a_clear_error():
    from jug.hooks import register_hook

    with pytest.raises(ValueError, match="is not a hook of jug execute; the hooks are execute.finished_post_status"):
        register_hook("execute.task-done", print)
