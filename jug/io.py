"""``jug.io`` (re-exported from jugcore.model.io, jugcore.model.wrappers and jugcore.cli.tables)."""
from jugcore.model.io import _do_write_task_out, write_metadata, write_task_out  # noqa: F401
from jugcore.cli.tables import get_terminal_size, print_task_summary_table  # noqa: F401
from jugcore.model.task import TaskGenerator, Tasklet  # noqa: F401
from jugcore.model.wrappers import NoLoad  # noqa: F401
