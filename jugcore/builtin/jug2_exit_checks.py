"""Jug 2's early exits for a jugfile (``jug.hooks.exit_checks``): called in a
jugfile, they stop `jug execute` between tasks, exit code 0, the tasks left
for the next run, as Jug's do.  Each is registered once per argument values,
so the jugfile's import at every barrier does not restart a count or a clock.

They work through :mod:`jugcore.builtin.jug2_hooks`, looking where Jug
looks: the file before each task, the rest after each task; the worker
prints why it stopped."""
import os
import time

from jugcore.builtin.jug2_hooks import add_stop_check, register_hook, register_hook_once, request_stop

__all__ = ["exit_if_file_exists", "exit_when_true", "exit_after_n_tasks", "exit_after_time", "exit_env_vars"]


def exit_if_file_exists(fname):
    """Stop before the next task once the file ``fname`` exists."""
    add_stop_check(("exit_if_file_exists", fname),
                   lambda state: f"the file {fname} exists (exit_if_file_exists)" if os.path.exists(fname) else None)


def exit_after_n_tasks(n):
    """Stop once ``n`` tasks were executed since the first call (looked at
    after each task, as Jug does: at least one task runs)."""
    executed = [0]

    def after_task(task):
        executed[0] += 1
        if executed[0] >= n:
            request_stop(f"{n} tasks were executed (exit_after_n_tasks)")

    register_hook_once("execute.task-executed1", ("exit_after_n_tasks", n), after_task)


def exit_after_time(hours=0, minutes=0, seconds=0):
    """Stop once this much time has passed since the first call, looked at
    after each task (a task that is running is not interrupted: ask for less
    than you have)."""
    limit = 3600 * hours + 60 * minutes + seconds
    deadline = time.monotonic() + limit

    def after_task(task):
        if time.monotonic() >= deadline:
            request_stop(f"{limit} s have passed (exit_after_time)")

    register_hook_once("execute.task-executed1", ("exit_after_time", hours, minutes, seconds), after_task)


def exit_when_true(f, function_takes_Task=False):
    """After each task this worker executes, call ``f()`` (``f(task)`` with
    ``function_takes_Task``) and stop if it returns something true."""

    def after_task(task):
        if f(task) if function_takes_Task else f():
            request_stop(f"{getattr(f, '__qualname__', f)} returned true (exit_when_true)")

    if getattr(f, "__closure__", True) is None:
        # A plain function defined again by a new import of the jugfile has the
        # same code: registered once, like the other checks.
        register_hook_once("execute.task-executed1", ("exit_when_true", f.__code__, function_takes_Task), after_task)
    else:
        register_hook("execute.task-executed1", after_task)


def exit_env_vars(environ=None):
    """The checks Jug's environment variables ask for (of ``environ``, default
    ``os.environ``): JUG_MAX_TASKS, JUG_MAX_HOURS / _MINUTES / _SECONDS (whole
    numbers) and JUG_EXIT_IF_FILE_EXISTS."""
    environ = os.environ if environ is None else environ
    if "JUG_MAX_TASKS" in environ:
        exit_after_n_tasks(_whole_number(environ, "JUG_MAX_TASKS"))
    hours, minutes, seconds = (_whole_number(environ, f"JUG_MAX_{unit}") if f"JUG_MAX_{unit}" in environ else 0
                               for unit in ("HOURS", "MINUTES", "SECONDS"))
    if hours or minutes or seconds:
        exit_after_time(hours=hours, minutes=minutes, seconds=seconds)
    if "JUG_EXIT_IF_FILE_EXISTS" in environ:
        exit_if_file_exists(environ["JUG_EXIT_IF_FILE_EXISTS"])


def _whole_number(environ, name):
    try:
        return int(environ[name])
    except ValueError:
        raise ValueError(f"{name}={environ[name]!r} is not a whole number") from None
