"""``jug.jug``: init and is_jug_running (re-exported from jugcore.face)."""
from jugcore.face import init, is_jug_running  # noqa: F401
