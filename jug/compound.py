"""``jug.compound`` (re-exported from jugcore.compound)."""
from jugcore.compound import CompoundTask, CompoundTaskGenerator, compound_task_execute  # noqa: F401
from jugcore.task import Task  # noqa: F401
