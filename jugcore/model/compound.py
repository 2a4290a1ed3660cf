"""Compound tasks: a function that builds a sub-graph of tasks, run as one task.

``CompoundTask(f, *args)`` is keyed as ``Task(f, *args)``.  While that key has
no result, ``f(*args)`` is called at once to build its tasks, and a final task
stores their outcome under that key.  Once it has one, the call returns the
plain ``Task(f, *args)``, which only loads: ``f`` is not called again and its
inner tasks are not even created.
"""
import functools

from jugcore.model.jug_names import present_as
from jugcore.model.task import Task, alltasks

__all__ = ["CompoundTask", "CompoundTaskGenerator", "compound_task_execute"]


def compound_task_execute(x, h):
    """What the final task runs: the sub-graph's result (``h`` is the key it is stored under)."""
    return x


class _CompoundResult(Task):
    """The final task of a compound task: keyed by the call ``f(*args)``, not by its
    own arguments, so the debug check that the key follows the arguments is off."""

    __slots__ = ()

    def __init__(self, inner, key):
        super().__init__(compound_task_execute, inner, key)
        self._hash = key

    def _check_hash(self):
        pass


def CompoundTask(f, *args, **kwargs):
    """``f(*args, **kwargs)`` returns a Task (or a structure of tasks); this returns a
    task with that result, stored under the key of ``Task(f, *args, **kwargs)``."""
    task = Task(f, *args, **kwargs)
    if task.can_load():
        return task
    # Not a task of this graph: only its key is used (it was created last).
    alltasks.pop()
    return _CompoundResult(f(*args, **kwargs), task.hash())


def CompoundTaskGenerator(f):
    """Decorator: calling ``f(...)`` returns ``CompoundTask(f, ...)``."""

    @functools.wraps(f)
    def compound_task_generator(*args, **kwargs):
        return CompoundTask(f, *args, **kwargs)

    compound_task_generator.f = f
    return compound_task_generator


present_as("jug.compound", compound_task_execute, CompoundTask, CompoundTaskGenerator)
