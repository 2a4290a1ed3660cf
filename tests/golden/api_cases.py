"""Keys of the tasks jug.mapreduce, jug.compound, jug.utils, jug.unsafe and jug.io
build, pinned by golden vectors (api_vectors.json), as hash_cases.py does for
the core.  Imported as the module ``api_cases`` under Jug 2.7.0 (by
make_hash_vectors.py) and under jugcore (by tests/test_hash_golden.py).

``cases()`` installs an in-memory store while it builds (compound tasks ask
the store whether they have a result) and puts the previous one back.
``key_of(obj)``: a Task's ``hash()``, a Tasklet's ``__jug_hash__()``, else
``hash_one(obj)``.
"""
import os
import tempfile
from collections import OrderedDict

import numpy as np

from jug import CompoundTask, Task, TaskGenerator, Tasklet, mapreduce, set_jugdir
from jug.compound import CompoundTaskGenerator
from jug.hash import hash_one
from jug.io import NoLoad, write_metadata, write_task_out
from jug.task import alltasks
from jug.unsafe import NoHash
from jug.utils import CustomHash, glob_sort, identity, jug_execute, timed_path

__all__ = ["cases", "key_of", "alltasks"]


def square(x):
    return x * x


def add(a, b):
    return a + b


def by_length(obj):
    return str(len(obj)).encode("ascii")


def constant_key(obj):
    return b"constant"


@TaskGenerator
def tg_square(x):
    return x * x


@TaskGenerator
def tg_add(a, b):
    return a + b


@TaskGenerator
def total(xs):
    return sum(xs)


@CompoundTaskGenerator
def sum_of_squares(n):
    return total([tg_square(i) for i in range(n)])


def square_pair(x):
    return tg_square(x), tg_square(x + 1)


def _keys_with_timed_path():
    """Keys (computed now, as bytes) of a timed_path to a file of fixed size and
    mtime, named relative to a temporary current folder."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            with open("timed.txt", "w") as f:
                f.write("twelve bytes")
            os.utime("timed.txt", (1_600_000_000.75, 1_600_000_000.75))
            return hash_one(timed_path("timed.txt")), total([timed_path("timed.txt"), 1]).hash()
        finally:
            os.chdir(previous)


def key_of(obj):
    if isinstance(obj, Task):
        return obj.hash()
    if isinstance(obj, Tasklet):
        return obj.__jug_hash__()
    return hash_one(obj)


def cases():
    """An ordered dict {case name: object}."""
    import jug.task

    saved_store = jug.task.Task.store
    set_jugdir("dict_store")
    try:
        return _cases()
    finally:
        jug.task.Task.store = saved_store


def _cases():
    out = OrderedDict()

    def case(name, obj):
        if name in out:
            raise KeyError(f"duplicate case name {name!r}")
        out[name] = obj

    # ---- map and its block access ------------------------------------------
    m = mapreduce.map(square, list(range(10)))
    case("map_access", m)
    case("map_block_0", m.blocks[0])
    case("map_block_last_partial", m.blocks[2])
    for name, index in (("0", 0), ("5", 5), ("9", 9), ("neg1", -1), ("neg10", -10)):
        case(f"map_index_{name}", m[index])
    case("map_slice_2_9", m[2:9])
    case("map_slice_of_slice", m[2:9][1:4])
    case("map_slice_step", m[::3])
    case("map_slice_reversed", m[8:1:-2])
    case("map_slice_empty", m[3:3])
    case("map_slice_beyond", m[5:100])
    case("map_slice_index_neg", m[2:9][-1])
    case("map_slice_of_slice_index", m[1:][::2][1])
    case("task_of_map_access", total(m))
    case("task_of_map_slice", total(m[1:7]))
    case("task_of_map_elements", total([m[0], m[9]]))
    case("map_step_1_task", mapreduce.map(square, range(3), map_step=1)[1])
    case("map_step_1_generator", mapreduce.map(tg_square, [4, 5], map_step=1)[0])
    tg_map = mapreduce.map(tg_square, [1, 2, 3, 4, 5])
    case("map_generator_access", tg_map)
    case("map_generator_block", tg_map.blocks[1])
    case("map_over_map", mapreduce.map(square, m, map_step=3))
    case("map_over_map_slice", mapreduce.map(square, m[1:8], map_step=2))
    case("map_numpy", mapreduce.map(square, np.arange(9), map_step=3))
    case("map_tuple", mapreduce.map(square, (1, 2, 3, 4, 5), map_step=2))
    case("map_strings_step_2", mapreduce.map(len, ["a", "bb", "ccc"], map_step=2))
    case("map_none_mapper", mapreduce.map(None, [1, 2, 3]))
    case("map_of_tasks", mapreduce.map(square, [tg_square(i) for i in range(5)], map_step=2))

    # ---- currymap --------------------------------------------------------------
    curried = mapreduce.currymap(add, [(1, 2), (3, 4), (5, 6)], map_step=2)
    case("currymap_0", curried[0])
    case("currymap_2", curried[2])
    case("currymap_step_1", mapreduce.currymap(add, [(1, 2), (3, 4)], map_step=1)[1])
    case("currymap_generator", mapreduce.currymap(tg_add, [(7, 8), (9, 10)])[1])
    case("task_of_currymap", total(curried))

    # ---- mapreduce and reduce --------------------------------------------------
    case("mapreduce_20", mapreduce.mapreduce(add, square, list(range(20))))
    case("mapreduce_deep_tree", mapreduce.mapreduce(add, square, list(range(30)), map_step=2, reduce_step=2))
    case("mapreduce_one_chunk", mapreduce.mapreduce(add, square, [1, 2, 3]))
    case("mapreduce_generators", mapreduce.mapreduce(tg_add, tg_square, list(range(10))))
    case("mapreduce_numpy", mapreduce.mapreduce(add, square, np.arange(12.0), map_step=5))
    case("mapreduce_empty", mapreduce.mapreduce(add, square, []))
    case("reduce_50_step_3", mapreduce.reduce(add, list(range(50)), reduce_step=3))
    case("reduce_of_tasks", mapreduce.reduce(add, [tg_square(i) for i in range(10)]))
    case("reduce_generator", mapreduce.reduce(tg_add, list(range(9))))
    case("reduce_empty", mapreduce.reduce(add, []))

    # ---- jug.utils ---------------------------------------------------------------
    case("identity_list", identity([1, 2, 3]))
    case("identity_dict", identity({"a": 1, "b": [2]}))
    case("identity_of_task_is_the_task", identity(tg_square(3)))
    case("task_of_identity", total(identity(list(range(100)))))
    case("custom_hash_value", CustomHash([1, 2, 3], by_length))
    case("custom_hash_arg", total([CustomHash([4, 5, 6], by_length), 1]))
    case("custom_hash_over_task", total([CustomHash(tg_square(2), constant_key)]))
    case("jug_execute_plain", jug_execute(["echo", "hi"]))
    case("jug_execute_no_check", jug_execute(["true"], check_exit=False))
    case("jug_execute_run_after", jug_execute(["cp", "a", "b"], run_after=tg_square(1), return_value="b"))
    case("jug_execute_positional", jug_execute(["ls"], True, None, 7))
    case("glob_sort_task", Task(glob_sort, "*.txt"))
    timed_value_key, timed_task_key = _keys_with_timed_path()
    case("timed_path_value_key", timed_value_key)
    case("timed_path_task_key", timed_task_key)

    # ---- jug.unsafe and jug.io ---------------------------------------------------
    case("nohash_value", NoHash("4"))
    case("nohash_in_list", total([1, NoHash(2)]))
    case("nohash_other_value_same_key", total([1, NoHash(3)]))
    case("jug_execute_nohash", jug_execute(["make", "-j", NoHash("4")]))
    case("noload_tasklet", NoLoad(tg_square(6)))
    case("task_of_noloads", total([NoLoad(tg_square(i)) for i in range(3)]))
    case("write_task_out", write_task_out(tg_square(3), "out.pkl"))
    case("write_task_out_meta", write_task_out(tg_square(3), "o.pkl", metadata_fname="m.json",
                                               metadata_format="json"))
    case("write_metadata", write_metadata(tg_square(3), "m.yaml"))

    # ---- compound tasks (no results yet) -----------------------------------------
    compound = sum_of_squares(4)
    case("compound_generator", compound)
    case("task_of_compound", total([compound, 1]))
    case("compound_task_tuple", CompoundTask(square_pair, 3))
    case("compound_of_mapreduce", CompoundTask(mapreduce.mapreduce, add, square, list(range(10))))
    return out
