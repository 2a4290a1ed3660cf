"""``jug.unsafe`` (re-exported from jugcore.wrappers)."""
from jugcore.wrappers import NoHash  # noqa: F401

__all__ = ["NoHash"]
