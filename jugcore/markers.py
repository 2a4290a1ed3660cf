"""The pluggy markers of project ``jug``: ``@hookimpl`` on a plugin's functions,
``@hookspec`` on the specs.  A leaf module, so that any layer (the built-in
config sources included) can mark a hook without importing the plugin manager."""
import pluggy

__all__ = ["hookimpl", "hookspec"]

hookimpl = pluggy.HookimplMarker("jug")
hookspec = pluggy.HookspecMarker("jug")
