"""``jug.hooks``: functions `jug execute` calls at Jug 2's hook points
(re-exported from jugcore.builtin.jug2_hooks; the early exits are in
``jug.hooks.exit_checks``, task timing in ``jug.hooks.execution``)."""
from jug.hooks import register  # noqa: F401
from jugcore.builtin.jug2_hooks import jug_hook, register_hook, register_hook_once, reset_all_hooks  # noqa: F401
