"""Building the plugin manager: every command, store and behaviour is a plugin.

Plugins come from entry points in group ``jug``, the core's own included, so
built-ins and third-party plugins enter through the same door.  A plugin that
fails to import is reported as a warning naming it and its distribution; the
rest keep working.

Environment switches:
  JUG_DISABLE_PLUGINS=name,...   skip these entry points;
  JUG_DISABLE_PLUGIN_AUTOLOAD=1  load only the built-in plugins (see builtin_distributions);
  JUG_TRACE_PLUGINS=1            print every hook call to stderr.
"""
import os
import re
import sys

import pluggy

from jugcore.config.schema import SettingsRegistry
from jugcore.markers import hookimpl
from jugcore.plugins import hookspecs
from jugcore.plugins.entrypoints import find_entry_points

__all__ = ["hookimpl", "make_plugin_manager", "call_each", "direct_caller", "builtin_distributions"]


class PluginOrigin:
    """Where a plugin came from: its entry point's distribution and version
    (empty for a plugin registered directly)."""

    def __init__(self, name, module="", entry_point=None):
        self.name = name
        self.module = module
        self.from_entry_point = entry_point is not None
        self.distribution = entry_point.distribution if entry_point is not None else ""
        self.version = entry_point.version if entry_point is not None else ""


def canonical_name(distribution):
    """A distribution's name as packaging compares them (``Jug_File`` -> ``jug-file``)."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def builtin_distributions():
    """The distributions whose plugins are built in: jugcore and those it always
    installs with it (its requirements without extras), read from its metadata."""
    from importlib import metadata  # 17 ms: only JUG_DISABLE_PLUGIN_AUTOLOAD needs it

    names = {"jugcore"}
    for requirement in metadata.requires("jugcore") or ():
        if "extra ==" not in requirement:
            names.add(canonical_name(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]))
    return names


# How a plugin came to be disabled, and how to enable it (for messages about what is missing).
_BLOCKED = "which JUG_DISABLE_PLUGINS names; take '{name}' out of that variable to enable it"
_NO_AUTOLOAD = ("which is not loaded because JUG_DISABLE_PLUGIN_AUTOLOAD is set (only jugcore's built-in "
                "plugins load); unset it to enable it")


def _autoload_disabled():
    return os.environ.get("JUG_DISABLE_PLUGIN_AUTOLOAD", "") not in ("", "0")


class JugPluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers which distribution each plugin came from."""

    def __init__(self):
        super().__init__("jug")
        self.add_hookspecs(hookspecs)
        self.origins = {}
        self.load_failures = []
        self.disabled = {}  # entry-point name -> (PluginOrigin, how it was disabled and how to enable it)
        self.settings = SettingsRegistry()
        self.hook.jug_add_settings.call_historic(kwargs={"settings": self.settings})

    def register(self, plugin, name=None):
        # jug_add_settings is replayed inside register(): let the registry know who declares.
        self.settings.declaring = name or self.get_canonical_name(plugin)
        try:
            return super().register(plugin, name)
        finally:
            self.settings.declaring = ""

    def register_plugin(self, plugin, name, origin=None):
        self.register(plugin, name=name)
        self.origins[name] = origin or PluginOrigin(name, module=getattr(plugin, "__name__", ""))

    def describe_plugin(self, name):
        origin = self.origins.get(name)
        if origin and origin.distribution:
            return f"plugin '{name}' ({origin.distribution} {origin.version})"
        return f"plugin '{name}'"

    def load_jug_entrypoints(self):
        blocked = {n.strip() for n in os.environ.get("JUG_DISABLE_PLUGINS", "").split(",") if n.strip()}
        only = builtin_distributions() if _autoload_disabled() else None
        for ep in find_entry_points():
            origin = PluginOrigin(ep.name, ep.value, ep)
            if ep.name in blocked:
                self.disabled[ep.name] = (origin, _BLOCKED.format(name=ep.name))
                continue
            if self.has_plugin(ep.name):
                self._warn_if_shadowed(self.origins[ep.name], origin)
                continue
            if only is not None and canonical_name(origin.distribution) not in only:
                self.disabled[ep.name] = (origin, _NO_AUTOLOAD)
                continue
            try:
                plugin = ep.load()
                self.register_plugin(plugin, ep.name, origin)
            except Exception as e:  # a broken plugin must not take the CLI down
                self.load_failures.append((origin, e))
                where = f"{origin.distribution} {origin.version}"
                print(
                    f"jug: warning: plugin '{ep.name}' from {where} failed to load "
                    f"({type(e).__name__}: {e}); continuing without it. "
                    f"Reinstall or upgrade {origin.distribution}, or set JUG_DISABLE_PLUGINS={ep.name}.",
                    file=sys.stderr,
                )

    def _warn_if_shadowed(self, loaded, other):
        """Two distributions use one plugin name: the first on sys.path is loaded."""
        if not loaded.from_entry_point or canonical_name(loaded.distribution) == canonical_name(other.distribution):
            return  # registered by the caller, or one distribution found twice on sys.path
        print(
            f"jug: warning: plugins of {loaded.distribution} {loaded.version} and of "
            f"{other.distribution} {other.version} are both named '{loaded.name}'; only the first is "
            f"loaded. Uninstall one of them.",
            file=sys.stderr,
        )


def make_plugin_manager(load_entrypoints=True, plugins=()):
    """A new manager: ``plugins`` (modules or objects, or (name, plugin) pairs)
    first, then the installed entry points."""
    pm = JugPluginManager()
    for item in plugins:
        name, plugin = item if isinstance(item, tuple) else (getattr(item, "__name__", None) or repr(item), item)
        pm.register_plugin(plugin, name)
    if load_entrypoints:
        pm.load_jug_entrypoints()
    if os.environ.get("JUG_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    return pm


def call_each(pm, hook_name, per_plugin=None, **kwargs):
    """Call one hook plugin by plugin: (plugin name, result) pairs, so that
    conflicts between plugins can name both.  ``per_plugin`` maps an argument
    name to a function of the plugin name that makes that argument."""
    caller = getattr(pm.hook, hook_name)
    trace = pm.trace.root.get("hook") if os.environ.get("JUG_TRACE_PLUGINS") else None
    for impl in reversed(caller.get_hookimpls()):
        arguments = dict(kwargs)
        for name, make in (per_plugin or {}).items():
            arguments[name] = make(impl.plugin_name)
        wanted = {k: v for k, v in arguments.items() if k in impl.argnames}
        if trace is not None:
            trace(f"{hook_name} [{impl.plugin_name}]", wanted)
        result = impl.function(**wanted)
        if trace is not None:
            trace(f"finish {hook_name} [{impl.plugin_name}] --> {result!r}")
        yield impl.plugin_name, result


def direct_caller(pm, hook_name, firstresult=False):
    """A plain function calling the hook's implementations, or None if it has none.

    For the per-task hooks of `jug execute`: pluggy's dispatch costs several
    microseconds a call, a real share of a small task.  Hook wrappers and
    JUG_TRACE_PLUGINS need pluggy's own path, which is then used instead."""
    caller = getattr(pm.hook, hook_name)
    impls = caller.get_hookimpls()
    if not impls:
        return None
    if os.environ.get("JUG_TRACE_PLUGINS") or any(i.hookwrapper or i.wrapper for i in impls):
        return caller
    calls = [(impl.function, tuple(impl.argnames)) for impl in reversed(impls)]

    def call(**kwargs):
        result = None
        for function, names in calls:
            result = function(*[kwargs[n] for n in names])
            if firstresult and result is not None:
                return result
        return result

    return call

