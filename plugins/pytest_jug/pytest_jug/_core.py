"""The jugcore internals pytest-jug leans on beyond :mod:`jugcore.api`, in one place:
a move inside jugcore breaks this file, not the suites.  pytest-jug opens stores
and reads settings exactly as `jug` does, which the public API does not offer;
both distributions come from one repository and are released together."""
from jugcore.plugins import make_plugin_manager
from jugcore.stores.contract import select_backend

__all__ = ["make_plugin_manager", "select_backend", "user_config_sources"]


def user_config_sources():
    """The module whose ``user_file()`` finds the user's jugrc (patched by ``no_user_jugrc``)."""
    from jugcore.config import sources

    return sources
