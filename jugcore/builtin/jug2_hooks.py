"""Jug 2's hook registry (``jug.hooks``): functions a jugfile registers under
Jug's hook names, called by `jug execute` at the matching points of our run.

==============================  ==========================================
Jug 2 hook name                 when (the hook of ours that calls it)
==============================  ==========================================
execute.task-loadable(task)     a task's result was found (jug_tasks_skipped)
execute.task-pre-execute(task)  its lock is taken, it is about to run (jug_task_started)
execute.task-executed1(task)    it ran and its result is stored (jug_task_finished)
execute.finished_pre_status()   the worker is done, before its table (jug_execute_finished)
execute.finished_post_status()  after the table (jug_execute_reported)
==============================  ==========================================

A function registered for ``execute.task-executed1`` that calls
``sys.exit(0)`` (Jug's way to end a worker early) stops the worker before its
next task, as a stop policy does: the table is printed and the exit code is 0.
The early exits of ``jug.hooks.exit_checks`` are stop checks of this module
(:func:`add_stop_check`, asked through ``jug_should_stop``), which hold
whether or not ``--no-check-environment`` is given, as in Jug.

The registry is the process's, as Jug's is: a jugfile imported again at a
barrier registers through :func:`register_hook_once` and is not counted twice.
The per-task hooks join the app's plugins with the first registration.
"""
import functools

from jugcore.plugins import hookimpl

__all__ = ["HOOK_NAMES", "register_hook", "register_hook_once", "jug_hook", "reset_all_hooks", "add_stop_check",
           "request_stop"]

HOOK_NAMES = frozenset({
    "execute.task-loadable", "execute.task-pre-execute", "execute.task-executed1",
    "execute.finished_pre_status", "execute.finished_post_status",
})

_functions = {}  # hook name -> [function]
_once = set()  # (hook name, code) pairs register_hook_once has seen
_stop_checks = {}  # code -> check(state) -> reason to stop, or None
_stop_reason = []  # the first reason a hook gave to stop (at most one)


def register_hook(name, f=None):
    """Call ``f`` at the hook ``name`` (one of :data:`HOOK_NAMES`); without
    ``f``, a decorator that registers the function it decorates."""
    if name not in HOOK_NAMES:
        raise ValueError(f"{name!r} is not a hook of jug execute; the hooks are {', '.join(sorted(HOOK_NAMES))}")
    if f is None:
        return functools.partial(register_hook, name)
    _functions.setdefault(name, []).append(f)
    _enable_per_task_hooks()
    return f


def register_hook_once(name, code, f):
    """:func:`register_hook` the first time this ``(name, code)`` pair is seen;
    later calls (a jugfile imported again) do nothing."""
    if f is None:
        raise TypeError("register_hook_once needs the function (it cannot be used as a decorator)")
    if (name, code) not in _once:
        _once.add((name, code))
        register_hook(name, f)


def jug_hook(name, args=(), kwargs=None):
    """Call every function registered for ``name``; their results, in order."""
    return [f(*args, **(kwargs or {})) for f in _functions.get(name, ())]


def reset_all_hooks():
    """Forget every registered function and stop check."""
    _functions.clear()
    _once.clear()
    _stop_checks.clear()
    _stop_reason.clear()


def add_stop_check(code, check):
    """Before each task, ``check(state)`` (a :class:`jugcore.api.WorkerState`)
    may return a reason to stop the worker; registered once per ``code``."""
    _stop_checks.setdefault(code, check)
    _enable_per_task_hooks()


def request_stop(reason):
    """Stop the worker before its next task, for ``reason`` (the first one given counts)."""
    if not _stop_reason:
        _stop_reason.append(reason)


def _call_each_task(name, task):
    for f in _functions[name]:
        try:
            f(task)
        except SystemExit as e:
            if e.code not in (None, 0) or name != "execute.task-executed1":
                raise
            request_stop(f"{_describe(f)} (a jug.hooks function) called sys.exit()")


def _describe(f):
    return getattr(f, "__qualname__", None) or repr(f)


class _PerTask:
    """The per-task hooks, registered with the app's plugins only once a jugfile
    registers something: every other run pays nothing for them per task (the
    worker looks its hooks up again after each import of the jugfile)."""

    NAME = "jug2-hooks-per-task"

    @hookimpl
    def jug_tasks_skipped(self, tasks):
        if "execute.task-loadable" in _functions:
            for t in tasks:
                _call_each_task("execute.task-loadable", t)

    @hookimpl
    def jug_task_started(self, task):
        if "execute.task-pre-execute" in _functions:
            _call_each_task("execute.task-pre-execute", task)

    @hookimpl
    def jug_task_finished(self, task):
        if "execute.task-executed1" in _functions:
            _call_each_task("execute.task-executed1", task)

    @hookimpl
    def jug_should_stop(self, state):
        if _stop_reason:
            return _stop_reason[0]
        for check in _stop_checks.values():
            reason = check(state)
            if reason:
                return reason
        return None


def _enable_per_task_hooks():
    from jugcore.app import current_app

    pm = current_app().pm
    if pm.get_plugin(_PerTask.NAME) is None:
        pm.register(_PerTask(), name=_PerTask.NAME)


@hookimpl
def jug_execute_finished():
    jug_hook("execute.finished_pre_status")


@hookimpl
def jug_execute_reported():
    jug_hook("execute.finished_post_status")
