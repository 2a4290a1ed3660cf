"""``jug.barrier`` (re-exported from jugcore.barrier)."""
from jugcore.barrier import BarrierError, barrier, bvalue  # noqa: F401
