"""``jug.io`` (re-exported from jugcore.io, jugcore.wrappers and jugcore.summary)."""
from jugcore.io import _do_write_task_out, write_metadata, write_task_out  # noqa: F401
from jugcore.summary import get_terminal_size, print_task_summary_table  # noqa: F401
from jugcore.task import TaskGenerator, Tasklet  # noqa: F401
from jugcore.wrappers import NoLoad  # noqa: F401
