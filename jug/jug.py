"""``jug.jug``: init and is_jug_running (re-exported from jugcore.run.session)."""
from jugcore.run.session import init, is_jug_running  # noqa: F401
