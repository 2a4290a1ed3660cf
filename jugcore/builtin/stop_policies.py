"""When a worker stops early (exit 0, tasks left for later), as in Jug 2:

* the file ``__jug_please_stop_running.txt`` exists in the current directory,
  or the file named by ``JUG_EXIT_IF_FILE_EXISTS``;
* ``JUG_MAX_TASKS`` tasks were executed;
* ``JUG_MAX_HOURS`` / ``JUG_MAX_MINUTES`` / ``JUG_MAX_SECONDS`` (summed) elapsed.

`jug execute --no-check-environment` turns all of these off.
"""
import os
import time

from jugcore.errors import JugError
from jugcore.plugins import hookimpl

STOP_FILE = "__jug_please_stop_running.txt"


def _int_env(name):
    raw = os.environ.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise JugError(f"{name}={raw!r} is not a whole number") from None


class _Limits:
    """The environment, read once per process; stop files looked at most every
    FILE_CHECK_INTERVAL seconds (a stat per task would be most of a small task's cost)."""

    FILE_CHECK_INTERVAL = 0.1

    def __init__(self):
        self.files = [p for p in (STOP_FILE, os.environ.get("JUG_EXIT_IF_FILE_EXISTS")) if p]
        self.max_tasks = _int_env("JUG_MAX_TASKS")
        self.seconds = 3600 * (_int_env("JUG_MAX_HOURS") or 0) + 60 * (_int_env("JUG_MAX_MINUTES") or 0) \
            + (_int_env("JUG_MAX_SECONDS") or 0)
        self.next_file_check = 0.0

    def reason_to_stop(self, state):
        now = time.monotonic()
        if now >= self.next_file_check:
            self.next_file_check = now + self.FILE_CHECK_INTERVAL
            for path in self.files:
                if os.path.exists(path):
                    return f"the file {path} exists"
        if self.max_tasks is not None and state.executed >= self.max_tasks:
            return f"JUG_MAX_TASKS={self.max_tasks} tasks were executed"
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
