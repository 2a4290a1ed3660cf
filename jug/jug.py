"""``jug.jug``: init and is_jug_running (re-exported from jugcore.session)."""
from jugcore.session import init, is_jug_running  # noqa: F401
