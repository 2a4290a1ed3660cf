"""jugcore: task-based parallelisation for Python, a small core plus plugins.

Jugfiles import the public names from ``jug`` (the Jug 2 compatible face);
the code lives here.
"""
__version__ = "0.1.0"

from jugcore import old_paths

old_paths.install()  # before anything else: plugins may import jugcore.store and the like

from jugcore.model.barrier import BarrierError, barrier, bvalue
from jugcore.plugins import hookimpl
from jugcore.run.session import init, is_jug_running, set_jugdir
from jugcore.model.task import (
    Task, TaskGenerator, Tasklet, iteratetask, recursive_dependencies, return_tuple, value,
)

__all__ = [
    "Task", "Tasklet", "TaskGenerator", "iteratetask", "return_tuple", "value",
    "barrier", "bvalue", "BarrierError", "init", "is_jug_running", "set_jugdir",
    "recursive_dependencies", "hookimpl", "__version__",
]
