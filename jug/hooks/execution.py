"""``jug.hooks.execution`` (re-exported from jugcore.builtin.jug2_task_times)."""
from jugcore.builtin.jug2_task_times import TimeTasks, register_time_tasks  # noqa: F401
