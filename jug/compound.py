"""``jug.compound`` (re-exported from jugcore.model.compound)."""
from jugcore.model.compound import CompoundTask, CompoundTaskGenerator, compound_task_execute  # noqa: F401
from jugcore.model.task import Task  # noqa: F401
