"""The public face jugfiles import (``from jug import TaskGenerator``).

Re-exports only; everything lives in ``jugcore``.
"""
from jugcore import __version__
from jugcore.barrier import barrier, bvalue
from jugcore.session import init, is_jug_running, set_jugdir
from jugcore.task import Task, TaskGenerator, Tasklet, iteratetask, return_tuple, value

__all__ = [
    "Task", "Tasklet", "TaskGenerator", "iteratetask", "return_tuple", "value",
    "barrier", "bvalue", "set_jugdir", "init", "is_jug_running", "__version__",
]
