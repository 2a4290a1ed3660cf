"""Fixtures for jug-shell's tests, from jugcore.testing (as for any plugin)."""
from jugcore.testing.fixtures import jug, jugfile  # noqa: F401
