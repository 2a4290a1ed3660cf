"""Tasks that share big argument objects, their keys pinned by golden vectors
(shared_vectors.json), as hash_cases.py does for single objects.  Imported as
the module ``shared_cases`` under Jug 2.7.0 (by make_hash_vectors.py, one
``t.hash()`` per task) and under jugcore (by tests/test_shared_arguments.py,
all keys in one batch, where each shared object is remembered by identity).

The shared objects are above the sizes a batch remembers
(jugcore/formats/hashing_shared.py), in every position: first (the state
after them is reused), later, twice in one task, in two functions, and
beside tasks and keyword arguments.  ``key_of(task)`` is ``task.hash()``.
"""
from collections import OrderedDict

import numpy as np

from jug import TaskGenerator
from jug.task import alltasks

__all__ = ["cases", "key_of", "alltasks"]


@TaskGenerator
def first(data, i):
    return i


@TaskGenerator
def other(data, i):
    return i


@TaskGenerator
def last(i, data):
    return i


@TaskGenerator
def many(*args, **kwargs):
    return len(args)


def shared_objects():
    """Fresh objects each call: big enough to be remembered, small enough to hash quickly."""
    ints = list(range(5000))
    return {
        "list": ints,
        "dict": {"k%d" % i: [i, str(i)] for i in range(1500)},
        "tuple": tuple(range(-3000, 0)),
        "set": set(range(2000)),
        "array": np.arange(20000, dtype=np.float64),
        "fortran": np.asfortranarray(np.arange(120000, dtype=np.int32).reshape(300, 400)),
        "bytes_list": [bytes([i % 256]) * 3 for i in range(1200)],
        "nested": [ints, {"a": ints}],  # holds the list again, below the top level
    }


def key_of(task):
    return task.hash()


def cases():
    """An ordered dict {case name: Task}; built with the same shared objects."""
    objects = shared_objects()
    small = [1, 2, 3]
    out = OrderedDict()
    for kind, data in objects.items():
        for i in range(3):
            out[f"{kind}_first_{i}"] = first(data, i)
            out[f"{kind}_other_{i}"] = other(data, i)
            out[f"{kind}_last_{i}"] = last(i, data)
    data, table, array = objects["list"], objects["dict"], objects["array"]
    dependency = first(data, 0)
    for i in range(2):
        out[f"two_shared_{i}"] = many(data, table, i)
        out[f"shared_then_small_{i}"] = many(data, small, i)
        out[f"small_then_shared_{i}"] = many(small, data, i)
        out[f"same_twice_{i}"] = many(data, data, i)
        out[f"alone_{i}"] = many(array) if i == 0 else many(array, i)
        out[f"keyword_{i}"] = many(data, i, scale=table)
        out[f"after_task_{i}"] = many(dependency, data, i)
        out[f"array_then_list_{i}"] = many(array, data, str(i))
    out["only_shared"] = many(data, table, array)
    return out
