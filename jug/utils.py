"""``jug.utils`` (re-exported from jugcore.model.utils and jugcore.model.wrappers)."""
from jugcore.model.task import Task, TaskGenerator, Tasklet, value  # noqa: F401
from jugcore.model.utils import (  # noqa: F401
    CommandFailed, _identity, cached_glob, glob_sort, hash_with_mtime_size, identity, jug_execute, sync_move,
    timed_path,
)
from jugcore.model.wrappers import CustomHash  # noqa: F401

__all__ = ["timed_path", "identity", "jug_execute", "CustomHash", "sync_move", "cached_glob"]
