"""Fixtures for jug-sqlite's tests, from jugcore.testing (as for any plugin)."""
from jugcore.testing.fixtures import background, jug, jugfile  # noqa: F401
