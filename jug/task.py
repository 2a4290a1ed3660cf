"""``jug.task``: the task model (re-exported from jugcore.model.task; CachedFunction and
describe from jugcore.model.utils and jugcore.model.describe, loaded on first use)."""
import importlib

from jugcore.formats.hashing import hash_one, hash_update, new_hash_object  # noqa: F401
from jugcore.model.task import (  # noqa: F401
    Task, TaskGenerator, Tasklet, TaskletMixin, _get_check, _getitem, alltasks, iteratetask,
    recursive_dependencies, return_tuple, topological_sort, value,
)

_NAMES_FROM = {"CachedFunction": "jugcore.model.utils", "describe": "jugcore.model.describe"}


def __getattr__(name):
    if name in _NAMES_FROM:
        return getattr(importlib.import_module(_NAMES_FROM[name]), name)
    raise AttributeError(f"module 'jug.task' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_NAMES_FROM))
