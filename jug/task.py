"""``jug.task``: the task model (re-exported from jugcore.task)."""
from jugcore.task import (  # noqa: F401
    Task, TaskGenerator, Tasklet, _get_check, _getitem, alltasks, iteratetask,
    recursive_dependencies, return_tuple, topological_sort, value,
)
