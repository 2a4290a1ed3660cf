"""``jug.mapreduce`` (re-exported from jugcore.model.mapreduce; Jug 2.7's class names kept)."""
from jugcore.formats.hashing import hash_one  # noqa: F401
from jugcore.model.mapreduce import (  # noqa: F401
    BlockAccess as block_access, BlockAccessSlice as block_access_slice, _chunks as _break_up, _jug_map,
    _jug_map_curry, _jug_map_reduce, _jug_reduce, _plain_function as _get_function, currymap, map, mapreduce,
    reduce,
)
from jugcore.model.task import Task, TaskletMixin  # noqa: F401
from jugcore.model.utils import identity  # noqa: F401

__all__ = ["mapreduce", "map", "currymap", "reduce"]
