"""One jug world: the plugin manager, the configuration read for it, and the
stores opened through it.  Built by :func:`make_app` and handed along: the CLI
passes it to every command (click's context object), commands pass it on,
store openers get its settings.

Three things in a process cannot be handed along, because Jug 2's API reads
them without arguments: a task's key (``Task.hash()`` offers unknown types to
the ``jug_hash_object`` hook), ``get_setting(name)`` in plugins written
before openers received their settings, and the owners of locks (stores ask
``owner_alive``, which asks the ``jug_owner_alive`` hook).  :func:`use_app`
makes one app the process's for those; the CLI uses the app it built, and
library use (a script calling ``jug.init``) builds the default app on first
need.
"""
import os

from jugcore import owners
from jugcore.config import Config, Schema
from jugcore.formats import hashing
from jugcore.plugins import call_each, direct_caller, make_plugin_manager
from jugcore.stores.contract import open_store, select_backend

__all__ = ["App", "Settings", "make_app", "use_app", "current_app", "get_setting", "hash_with_current_app",
           "load_config", "settings_for"]


class Settings:
    """The settings a store opener receives: ``settings["file.fsync"]`` or
    ``settings.get("section.key", default)`` (a declared key's default when
    nothing sets it)."""

    def __init__(self, config):
        self._config = config

    def __getitem__(self, name):
        return self._config.get(name)

    def get(self, name, default=None):
        value = self._config.get(name)
        return default if value is None else value


class App:
    """The plugin manager (``pm``), the configuration (``config``), the settings
    view given to store openers (``settings``) and, when built for the command
    line, the root click group (``cli``)."""

    def __init__(self, pm, config, cli=None):
        self.pm = pm
        self.config = config
        self.settings = Settings(config)
        self.cli = cli

    @property
    def hook(self):
        return self.pm.hook

    def open_store(self, jugdir):
        """The store named by ``jugdir``, opened by the plugin that declares its scheme."""
        return open_store(self.pm, jugdir, self.settings)

    def backend_of(self, jugdir):
        """The :class:`~jugcore.stores.contract.StoreBackend` that opens ``jugdir``."""
        return select_backend(self.pm, jugdir)[0]

    def hash_hook(self):
        """What hashing offers unknown types to: the plugins' ``jug_hash_object``, or None."""
        caller = self.pm.hook.jug_hash_object
        return (lambda obj: caller(obj=obj)) if caller.get_hookimpls() else None

    def owner_hooks(self):
        """(judge, details) for :func:`jugcore.owners.use_owner_hooks`: the plugins'
        ``jug_owner_alive`` and their merged ``jug_owner_details`` (None without
        implementations)."""
        alive = direct_caller(self.pm, "jug_owner_alive", firstresult=True)
        judge = (lambda owner: alive(owner=owner)) if alive is not None else None
        if not self.pm.hook.jug_owner_details.get_hookimpls():
            return judge, None

        def details():
            merged = {}
            for _, found in call_each(self.pm, "jug_owner_details"):
                merged.update(found or {})
            return merged

        return judge, details

    def __getattr__(self, name):
        # Commands written when click's context object was the plugin manager
        # (`@click.pass_obj def cmd(pm)`) keep working: the rest is the manager's.
        return getattr(self.pm, name)


def load_config(pm, cli=None, start_dir=None):
    """Read every source the plugins of ``pm`` offer, for the options of the
    commands of ``cli`` (None: declared settings only), from ``start_dir``
    (default: the current folder)."""
    found = call_each(pm, "jug_config_sources", start_dir=start_dir or os.getcwd())
    sources = [source for _, returned in found for source in returned or ()]
    return Config(Schema(cli, pm.settings), sources)


def settings_for(pm):
    """The settings of ``pm``'s plugins, as the configuration sets them now."""
    return Settings(load_config(pm))


def make_app(load_entrypoints=True, plugins=(), start_dir=None, commands=None):
    """A new app: the installed plugins (unless ``load_entrypoints`` is False)
    after ``plugins`` (modules, objects or (name, plugin) pairs); ``commands(pm)``
    builds the click group whose options are settings too (the CLI's own)."""
    pm = make_plugin_manager(load_entrypoints, plugins)
    cli = commands(pm) if commands is not None else None
    return App(pm, load_config(pm, cli, start_dir), cli)


_current = None


def use_app(app):
    """Make ``app`` this process's for what cannot be handed along (task keys,
    ``get_setting``); returns it."""
    global _current
    _current = app
    hashing.use_object_hook(app.hash_hook())
    owners.use_owner_hooks(*app.owner_hooks())
    return app


def current_app():
    """The app :func:`use_app` chose, or the default one, built now."""
    return _current if _current is not None else use_app(make_app())


def hash_with_current_app(obj):
    """Hashing's hook until :func:`use_app` is called: the first key with a type
    the core does not know (a numpy array in a script) builds the default app,
    whose hook then takes over."""
    hook = current_app().hash_hook()
    return hook(obj) if hook is not None else None


def get_setting(name):
    """The value of the setting ``"section.key"`` (``"key"`` for [main]) in the
    current app; store openers get theirs as ``settings`` instead."""
    return current_app().config.get(name)
