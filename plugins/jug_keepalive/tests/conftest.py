"""Fixtures for the keepalive store's tests, from jugcore.testing (as for any plugin)."""
from jugcore.testing.fixtures import background, jug, jug27, jug27_python, jugfile  # noqa: F401
