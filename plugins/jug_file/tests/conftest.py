"""Fixtures for the file store's tests, from jugcore.testing (as for any plugin)."""
from jugcore.testing.fixtures import jug, jug27, jug27_python, jugfile  # noqa: F401
