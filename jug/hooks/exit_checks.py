"""``jug.hooks.exit_checks`` (re-exported from jugcore.builtin.jug2_exit_checks)."""
from jugcore.builtin.jug2_exit_checks import (  # noqa: F401
    exit_after_n_tasks, exit_after_time, exit_env_vars, exit_if_file_exists, exit_when_true,
)
