"""barrier() and bvalue(): stop importing the jugfile until earlier results exist.

Raising BarrierError ends the current import pass; ``jug execute`` runs what
was defined so far and imports the jugfile again.
"""
from jugcore.task import Task, alltasks, value

__all__ = ["BarrierError", "barrier", "bvalue"]


class BarrierError(Exception):
    """The jugfile needs results that do not exist yet."""


def _all_available(tasks):
    missing = [t for t in tasks if not t.is_loaded()]
    if not missing:
        return True
    store = Task.store
    loadable = store.can_load_many([t.hash() for t in missing])
    return all(t.hash() in loadable for t in missing)


def barrier():
    """Continue importing the jugfile only if every task defined so far has a result."""
    if not _all_available(alltasks):
        raise BarrierError


def _tasks_needed_for_value(obj):
    """The Tasks whose results ``value(obj)`` reads (not their dependencies)."""
    found = []
    stack = [[obj]]
    while stack:
        for elem in stack.pop():
            if isinstance(elem, Task):
                found.append(elem)
            elif getattr(elem, "__jug_needs_no_value__", False):
                continue
            elif hasattr(elem, "__jug_dependencies__"):
                stack.append(elem.__jug_dependencies__())
            elif isinstance(elem, (list, tuple)):
                stack.append(elem)
            elif isinstance(elem, dict):
                stack.append(elem.values())
    return found


def bvalue(t):
    """``value(t)`` if its results exist; otherwise stop importing the jugfile here."""
    if not _all_available(_tasks_needed_for_value(t)):
        raise BarrierError
    return value(t)
