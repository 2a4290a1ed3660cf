"""barrier() and bvalue(): stop importing the jugfile until earlier results exist.

Raising BarrierError ends the current import pass; ``jug execute`` runs what
was defined so far and imports the jugfile again.
"""
from jugcore.model.task import Task, alltasks, task_keys, tasks_inside, value

__all__ = ["BarrierError", "barrier", "bvalue"]


class BarrierError(Exception):
    """The jugfile needs results that do not exist yet."""


def _all_available(tasks):
    missing = [t for t in tasks if not t.is_loaded()]
    if not missing:
        return True
    keys = task_keys(missing)
    loadable = Task.store.can_load_many(keys)
    return all(key in loadable for key in keys)


def barrier():
    """Continue importing the jugfile only if every task defined so far has a result."""
    if not _all_available(alltasks):
        raise BarrierError


def bvalue(t):
    """``value(t)`` if its results exist; otherwise stop importing the jugfile here."""
    if not _all_available(list(tasks_inside([[t]], values_only=True))):
        raise BarrierError
    return value(t)
