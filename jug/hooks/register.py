"""``jug.hooks.register`` (re-exported from jugcore.builtin.jug2_hooks)."""
from jugcore.builtin.jug2_hooks import jug_hook, register_hook, register_hook_once, reset_all_hooks  # noqa: F401
