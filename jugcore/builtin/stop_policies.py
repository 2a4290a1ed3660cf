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


@hookimpl
def jug_should_stop(state):
    if not getattr(state, "check_environment", True):
        return None
    for path in (STOP_FILE, os.environ.get("JUG_EXIT_IF_FILE_EXISTS")):
        if path and os.path.exists(path):
            return f"the file {path} exists"
    max_tasks = _int_env("JUG_MAX_TASKS")
    if max_tasks is not None and state.executed >= max_tasks:
        return f"JUG_MAX_TASKS={max_tasks} tasks were executed"
    limit = 3600 * (_int_env("JUG_MAX_HOURS") or 0) + 60 * (_int_env("JUG_MAX_MINUTES") or 0) \
        + (_int_env("JUG_MAX_SECONDS") or 0)
    if limit and time.monotonic() - state.started >= limit:
        return f"the time limit of {limit} s (JUG_MAX_HOURS/MINUTES/SECONDS) was reached"
    return None
