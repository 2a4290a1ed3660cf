"""``jug.unsafe`` (re-exported from jugcore.model.wrappers)."""
from jugcore.model.wrappers import NoHash  # noqa: F401

__all__ = ["NoHash"]
