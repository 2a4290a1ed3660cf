"""The public face jugfiles import (``from jug import TaskGenerator``).

Re-exports only; everything lives in ``jugcore``.
"""
import importlib

# Load the submodules first, as Jug 2.7 does: `jug.task` works after a bare
# `import jug`, and the name `barrier` ends bound to the function, not the module.
from jug import barrier as _barrier_module, hash, jug, task  # noqa: F401,E402
from jugcore import JUG_COMPATIBLE_VERSION as __version__
from jugcore.model.barrier import barrier, bvalue
from jugcore.face import init, is_jug_running, set_jugdir
from jugcore.model.task import Task, TaskGenerator, Tasklet, iteratetask, return_tuple, value

__all__ = [
    "Task", "Tasklet", "TaskGenerator", "iteratetask", "return_tuple", "value", "CachedFunction",
    "CompoundTask", "CompoundTaskGenerator", "barrier", "bvalue", "set_jugdir", "init", "is_jug_running",
    "file_store", "dict_store", "redis_store", "__version__",
]

_SUBMODULES = {"compound", "io", "mapreduce", "unsafe", "utils", "backends", "hooks", "jug_version", "options",
               "subcommands"}
_NAMES_FROM = {
    "CachedFunction": "jugcore.model.utils", "CompoundTask": "jugcore.model.compound", "CompoundTaskGenerator": "jugcore.model.compound",
}


# Jug 2.7's `jug` names these store modules of jug.backends itself.
_BACKENDS = {"file_store", "dict_store", "redis_store"}


def __getattr__(name):
    # Loaded on first use, so that `import jug` (every `jug` process) does not pay
    # for them; `jug.utils.identity` after a bare `import jug` works, as in Jug 2.7.
    if name in _SUBMODULES:
        return importlib.import_module(f"jug.{name}")
    if name in _BACKENDS:
        return importlib.import_module(f"jug.backends.{name}")
    if name in _NAMES_FROM:
        return getattr(importlib.import_module(_NAMES_FROM[name]), name)
    raise AttributeError(f"module 'jug' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | _BACKENDS | set(_NAMES_FROM))
