"""Wrappers that change how one task argument is keyed or passed.

* ``CustomHash(obj, fn)``: keyed by ``fn(obj)`` instead of ``obj``'s bytes;
* ``NoHash(obj)``: not keyed at all (changing it never reruns anything);
* ``NoLoad(task)``: the task stays an input, but the function receives the
  wrapper itself (``.base`` is the task) instead of the loaded result.

Each still hands ``obj`` to the task function and makes the tasks inside it
dependencies, as Jug 2.7 does.
"""
import warnings

from jugcore.model.jug_names import present_as
from jugcore.model.task import Tasklet, value

__all__ = ["CustomHash", "NoHash", "NoLoad"]


class CustomHash:
    """``obj``, keyed by ``hash_function(obj)`` (bytes).  Equal hashes must mean
    interchangeable objects: jug reuses results on that promise."""

    def __init__(self, obj, hash_function):
        self.obj = obj
        self.hash_function = hash_function

    def __jug_hash__(self):
        return self.hash_function(self.obj)

    def __jug_value__(self):
        return value(self.obj)

    def __jug_dependencies__(self):
        return [self.obj]


class NoHash:
    """``obj``, left out of the key (every NoHash contributes the same bytes)."""

    def __init__(self, obj):
        self.obj = obj

    def __jug_hash__(self):
        return b"nohash"

    def __jug_value__(self):
        return value(self.obj)

    def __jug_dependencies__(self):
        return [self.obj]


class NoLoad(Tasklet):
    """A task passed on unloaded: the receiving function gets this object and
    calls ``jug.value(arg.base)`` if and when it wants the result."""

    __slots__ = ()
    __jug_needs_no_value__ = True  # bvalue() does not wait for .base: the value is this object

    def __init__(self, base):
        super().__init__(base, "NoLoad")

    @property
    def t(self):
        warnings.warn("NoLoad.t is deprecated: use NoLoad.base", DeprecationWarning, stacklevel=2)
        return self.base

    def __getitem__(self, _):
        raise NotImplementedError("a NoLoad cannot be indexed: index the task it wraps (.base)")

    def value(self):
        return self

    __jug_value__ = value


present_as("jug.utils", CustomHash)
present_as("jug.unsafe", NoHash)
present_as("jug.io", NoLoad)
