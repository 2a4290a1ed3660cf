"""Fixtures for every test in this repository (tests/, plugins/*/tests/,
examples/plugins/*/tests/), beyond those pytest-jug registers for any session:
ours alone, from tests/support."""
from tests.support.jug27 import jug27, jug27_python  # noqa: F401
from tests.support.partial_venv import jug_without_optional_plugins  # noqa: F401

# pytester runs pytest-jug's fixtures and contract the way a plugin author's session does.
pytest_plugins = ["pytester"]
