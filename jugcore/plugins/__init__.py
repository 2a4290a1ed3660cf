"""The plugin system: hook specs, finding installed plugins, and the plugin manager."""
from jugcore.plugins.manager import (  # noqa: F401
    JugPluginManager, PluginOrigin, builtin_distributions, call_each, canonical_name, direct_caller, hookimpl,
    make_plugin_manager,
)

__all__ = ["hookimpl", "make_plugin_manager", "call_each", "direct_caller", "builtin_distributions",
           "canonical_name", "JugPluginManager", "PluginOrigin"]
