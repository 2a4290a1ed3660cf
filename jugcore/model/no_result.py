"""The error for ``value(task)`` before the task has a result: which task, where
it stands (as `jug status` would put it), and what to do, instead of the
store's ``KeyError: b'9014...'``.  Built only when that happens."""
from jugcore.errors import JugError

__all__ = ["TaskHasNoResult"]


class TaskHasNoResult(JugError, KeyError):
    """A task's result was asked for before it was computed.  A KeyError still,
    as the store's was: code that caught that keeps working."""

    def __init__(self, task):
        self.task = task
        status, advice = _status(task)
        super().__init__(f"task {task.name} has no result yet (status: {status}). {advice}")

    __str__ = JugError.__str__  # KeyError's would quote the message


_NOT_RUN = "In a jugfile, put barrier() before this value() call; elsewhere, run `jug execute` first."


def _status(task):
    """(Failed / Active / Ready / Waiting, what the user can do about it)."""
    try:
        if task.is_failed():
            return "Failed", "`jug status --failed` shows why; `jug execute` runs it again."
        if task.is_locked():
            return "Active", "A worker is running it; `jug sleep-until` waits until every task is done."
        missing = sum(1 for dep in task.dependencies() if not (dep.is_loaded() or dep.can_load()))
    except Exception as e:  # the store cannot tell: the first error stays the one shown
        return f"unknown, the store could not be asked: {type(e).__name__}: {e}", _NOT_RUN
    if missing:
        return f"Waiting, for {missing} task{'s' if missing != 1 else ''} it needs", _NOT_RUN
    return "Ready", _NOT_RUN
