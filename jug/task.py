"""``jug.task``: the task model (re-exported from jugcore.task, jugcore.utils, jugcore.describe)."""
from jugcore.describe import describe  # noqa: F401
from jugcore.hashing import hash_one, hash_update, new_hash_object  # noqa: F401
from jugcore.task import (  # noqa: F401
    Task, TaskGenerator, Tasklet, TaskletMixin, _get_check, _getitem, alltasks, iteratetask,
    recursive_dependencies, return_tuple, topological_sort, value,
)
from jugcore.utils import CachedFunction  # noqa: F401
