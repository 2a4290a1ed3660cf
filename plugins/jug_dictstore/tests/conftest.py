"""Fixtures for the dict store's tests, from jugcore.testing (as for any plugin)."""
from jugcore.testing.fixtures import jug27, jug27_python, no_user_jugrc  # noqa: F401
