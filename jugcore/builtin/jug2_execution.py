"""Jug 2's scheduler entry points (``jug.jug.execution_loop``,
``ExecutionState``, ``prepare_matcher_from_options``) over jugcore's worker:
a script that made tasks (with ``jug.init``, or by calling its own
``TaskGenerator`` functions) runs them in this process, in dependency order,
with `jug execute`'s locks, so other workers can share the jugdir."""
import os

from jugcore.app import current_app
from jugcore.errors import JugError, warn
from jugcore.model.task import Task
from jugcore.run.options import ExecuteOptions
from jugcore.run.selection import make_selector
from jugcore.run.worker import Worker

__all__ = ["ExecutionState", "execution_loop", "prepare_matcher_from_options"]

_DEFAULTS = ExecuteOptions()


class ExecutionState:
    """What successive ``execution_loop`` calls share (a jugfile with barriers
    runs one call per pass): ``failed``, the keys of the tasks that failed
    (not tried again).  ``nr_waits`` is kept for Jug's scripts that read it:
    our worker waits for other workers' tasks with back-off inside one call,
    bounded by wait_cycle_time x nr_wait_cycles, so it stays 0."""

    def __init__(self):
        self.nr_waits = 0
        self.failed = set()


def prepare_matcher_from_options(name=None, pattern=None):
    """A predicate on task names for ``--name`` and ``--pattern`` (both must
    match when both are given), or None when neither is."""
    if name is not None and pattern is not None:
        warn("both a name and a pattern are set (one may come from a config file); "
             "only tasks matching both are selected")
    return make_selector(name, pattern)


def execution_loop(tasks, options, state=None):
    """Run ``tasks`` (a list; what is left in it afterwards has no result:
    waiting on a failure, or held by other workers) in ``Task.store`` with
    Jug's ``options`` (``execute_keep_going``, ``execute_name``, ...).
    Returns whether a task failed; without ``execute_keep_going`` the first
    failure's exception is raised instead, as Jug's loop does."""
    store = Task.store
    if store is None:
        raise JugError("no jugdir to run the tasks in: call jug.init(jugfile, jugdir) or "
                       "jug.set_jugdir(jugdir) first")
    state = ExecutionState() if state is None else state
    settings = _execute_options(options)
    pending = [t for t in tasks if t.hash() not in state.failed]
    worker = Worker(store, current_app().pm, settings, jugfile_dir=os.getcwd())
    worker.run_pass(pending)
    failures = worker.summary.failures
    state.failed.update(failure.key.encode() for failure in failures)
    tasks[:] = [t for t in pending if t.hash() not in worker.done and t.hash() not in state.failed]
    if failures and not settings.keep_going and failures[0].error is not None:
        raise failures[0].error
    return bool(failures)


def _execute_options(options):
    def given(name, default):
        value = getattr(options, name, None)
        return default if value is None else value

    return ExecuteOptions(
        keep_going=bool(given("execute_keep_going", False)),
        keep_failed=bool(given("execute_keep_failed", False)),
        wait_cycle_time=float(given("execute_wait_cycle_time", _DEFAULTS.wait_cycle_time)),
        nr_wait_cycles=int(given("execute_nr_wait_cycles", _DEFAULTS.nr_wait_cycles)),
        aggressive_unload=bool(given("aggressive_unload", False)),
        debug=bool(given("debug", False) or given("pdb", False)),
        pdb=bool(given("pdb", False)),
        select=prepare_matcher_from_options(getattr(options, "execute_name", None),
                                            getattr(options, "execute_pattern", None)),
        check_environment=not given("execute_no_check_environment", False),
    )
