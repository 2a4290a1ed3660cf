"""jugcore: task-based parallelisation for Python, a small core plus plugins.

Jugfiles import the public names from ``jug`` (the Jug 2 compatible face);
plugins import from ``jugcore.api``; the code lives in the layer packages
(docs/architecture.md is the map).
"""
__version__ = "0.1.0"
# The Jug release whose API, task keys and jugdirs we match: what `jug.__version__`
# reports, so that jugfiles that check Jug's version (`>= 2.x`) keep working.
JUG_COMPATIBLE_VERSION = "2.7.0"

from jugcore import old_paths

old_paths.install()  # before anything else: plugins may import jugcore.store and the like

from jugcore.app import hash_with_current_app  # noqa: E402
from jugcore.face import init, is_jug_running, set_jugdir  # noqa: E402
from jugcore.formats import hashing  # noqa: E402
from jugcore.markers import hookimpl  # noqa: E402
from jugcore.model.barrier import BarrierError, barrier, bvalue  # noqa: E402
from jugcore.model.task import (  # noqa: E402
    Task, TaskGenerator, Tasklet, iteratetask, recursive_dependencies, return_tuple, value,
)

# Keys of unknown types (numpy arrays) need the plugins: until a command or
# script chooses an app, the first such key builds the default one.
hashing.use_object_hook(hash_with_current_app)

__all__ = [
    "Task", "Tasklet", "TaskGenerator", "iteratetask", "return_tuple", "value",
    "barrier", "bvalue", "BarrierError", "init", "is_jug_running", "set_jugdir",
    "recursive_dependencies", "hookimpl", "__version__",
]
