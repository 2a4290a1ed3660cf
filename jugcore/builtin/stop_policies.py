"""When a worker stops early (exit 0, tasks left for later), as in Jug 2:

* the file ``__jug_please_stop_running.txt`` exists in the current directory,
  or the file named by ``JUG_EXIT_IF_FILE_EXISTS``;
* ``JUG_MAX_TASKS`` tasks were executed;
* ``JUG_MAX_HOURS`` / ``JUG_MAX_MINUTES`` / ``JUG_MAX_SECONDS`` (summed) elapsed.

These are settings of [execute] (``max-tasks = 100`` in a jugrc works too; the
environment names are Jug 2's).  `jug execute --no-check-environment` turns
all of them off.
"""
import os
import time

from jugcore.app import get_setting
from jugcore.plugins import hookimpl

STOP_FILE = "__jug_please_stop_running.txt"

_LIMITS = (
    ("max-tasks", "JUG_MAX_TASKS", "Stop a worker after it executed this many tasks."),
    ("max-hours", "JUG_MAX_HOURS", "Stop a worker after this many hours (added to the minutes and seconds)."),
    ("max-minutes", "JUG_MAX_MINUTES", "Stop a worker after this many minutes (added to hours and seconds)."),
    ("max-seconds", "JUG_MAX_SECONDS", "Stop a worker after this many seconds (added to hours and minutes)."),
)


@hookimpl
def jug_add_settings(settings):
    for key, env, help in _LIMITS:
        settings.add("execute", key, type=int, default=None, help=help, env=(env,))
    settings.add("execute", "exit-if-file-exists", type=str, default=None, env=("JUG_EXIT_IF_FILE_EXISTS",),
                 help=f"Stop a worker when this file exists (as when {STOP_FILE} does).")


class _Limits:
    """The settings, read once per process; stop files looked at most every
    FILE_CHECK_INTERVAL seconds (a stat per task would be most of a small task's cost)."""

    FILE_CHECK_INTERVAL = 0.1

    def __init__(self):
        self.files = [p for p in (STOP_FILE, get_setting("execute.exit-if-file-exists")) if p]
        self.max_tasks = get_setting("execute.max-tasks")
        self.seconds = 3600 * (get_setting("execute.max-hours") or 0) + 60 * (get_setting("execute.max-minutes") or 0) \
            + (get_setting("execute.max-seconds") or 0)
        self.next_file_check = 0.0
    def reason_to_stop(self, state):
        now = time.monotonic()
        if now >= self.next_file_check:
            self.next_file_check = now + self.FILE_CHECK_INTERVAL
            for path in self.files:
                if os.path.exists(path):
                    return f"the file {path} exists"
        if self.max_tasks is not None and state.executed >= self.max_tasks:
            return f"{self.max_tasks} tasks were executed (max-tasks, JUG_MAX_TASKS)"
        if self.seconds and now - state.started >= self.seconds:
            return f"the time limit of {self.seconds} s (JUG_MAX_HOURS/MINUTES/SECONDS) was reached"
        return None


_limits = None


@hookimpl
def jug_should_stop(state):
    global _limits
    if not state.check_environment:
        return None
    if _limits is None:
        _limits = _Limits()
    return _limits.reason_to_stop(state)
