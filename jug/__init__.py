"""The public face jugfiles import (``from jug import TaskGenerator``).

Re-exports only; everything lives in ``jugcore``.
"""
# Load the submodules first, as Jug 2.7 does: `jug.task`, `jug.utils` and
# `jug.compound` work after a bare `import jug`, and the name `barrier` ends
# bound to the function, not the module.
from jug import barrier as _barrier_module, compound, hash, jug, task, utils  # noqa: F401,E402
from jugcore import __version__
from jugcore.barrier import barrier, bvalue
from jugcore.compound import CompoundTask, CompoundTaskGenerator
from jugcore.session import init, is_jug_running, set_jugdir
from jugcore.task import Task, TaskGenerator, Tasklet, iteratetask, return_tuple, value
from jugcore.utils import CachedFunction

__all__ = [
    "Task", "Tasklet", "TaskGenerator", "iteratetask", "return_tuple", "value", "CachedFunction",
    "CompoundTask", "CompoundTaskGenerator", "barrier", "bvalue", "set_jugdir", "init", "is_jug_running",
    "__version__",
]
