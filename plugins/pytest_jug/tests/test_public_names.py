"""pytest-jug's public names are what its README and docstring say: each one
loads, and each one, fixtures included, is documented."""
from pathlib import Path

import pytest

import pytest_jug
from pytest_jug import plugin

README = (Path(__file__).parents[1] / "README.md").read_text()
FIXTURES = sorted(name for name, value in vars(plugin).items() if type(value).__name__ == "FixtureFunctionDefinition"
                  or hasattr(value, "_pytestfixturefunction"))


@pytest.mark.parametrize("name", pytest_jug.__all__)
def test_public_name_loads_and_is_documented(name):
    assert getattr(pytest_jug, name) is not None
    assert f"`{name}`" in README
    assert name in pytest_jug.__doc__


def test_every_fixture_is_documented():
    assert {"jug", "jugfile", "background", "site", "no_user_jugrc", "redis_server"} <= set(FIXTURES)
    for name in FIXTURES:
        assert f"| `{name}` |" in README
        assert f"``{name}``" in plugin.__doc__ and f"``{name}``" in pytest_jug.__doc__


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="ensure_jug27"):
        pytest_jug.ensure_jug27  # ours, in tests/support: not pytest-jug's
