"""``jug.barrier`` (re-exported from jugcore.model.barrier)."""
from jugcore.model.barrier import BarrierError, barrier, bvalue  # noqa: F401
