"""Which keys exist: every option of every command, and the settings plugins
declare with ``jug_add_settings``.

A command's options live in the section named after the command
(``[execute] nr-wait-cycles``); options marked as shared (``jug_main``, as
:func:`jugcore.cli.jugfile_command.jugfile_command` marks ``--jugdir``,
``--verbose``, ...) live in ``[main]``.  ``[main]`` also accepts any command's
option (Jug 2 kept ``short`` there), and a command's section may override a
``[main]`` option for that command alone.
"""
import click

from jugcore.config.model import MAIN, normalise_key
from jugcore.errors import JugError

__all__ = ["Setting", "SettingsRegistry", "Schema", "env_name"]


def env_name(section, key):
    """``JUG_<SECTION>_<KEY>``, or ``JUG_<KEY>`` in [main]."""
    parts = [key] if section == MAIN else [section, key]
    return "JUG_" + "_".join(parts).upper().replace("-", "_")


class Setting:
    """One key: where it lives, its click type, default and help, the environment
    variables that set it, and who declared it (a plugin, or a command's option)."""

    def __init__(self, section, key, type=None, default=None, help="", env=(), owner="", param=None):
        self.section = normalise_key(section)
        self.key = normalise_key(key)
        self.type = click.types.convert_type(type, default)
        self.default = default
        self.help = help
        self.env = (env_name(section, self.key), *(n for n in env if n != env_name(section, self.key)))
        self.owner = owner
        self.param = param

    @property
    def name(self):
        return f"{self.section}.{self.key}"

    def convert(self, value):
        """``value`` (a string from a file or the environment, or a TOML value) as this
        key's type; raises click.BadParameter."""
        if self.param is None:
            return self.type.convert(value, None, None)
        if isinstance(value, str) and (self.param.nargs != 1 or self.param.multiple):
            value = self.param.type.split_envvar_value(value)
        return self.param.type_cast_value(click.Context(click.Command(self.owner)), value)


class SettingsRegistry:
    """What ``jug_add_settings(settings)`` receives: ``settings.add(section, key, ...)``."""

    def __init__(self):
        self._settings = {}
        self.conflicts = []  # (first, second) declarations of one key, reported when config is read
        self.declaring = ""  # the plugin being registered, to name it in conflicts

    def add(self, section, key, type=None, default=None, help="", env=()):
        """Declare ``[section] key``: ``type`` (a Python type such as int, float, bool,
        str, or a click type), its ``default``, a one-line ``help``, and extra
        environment variable names (``JUG_<SECTION>_<KEY>`` always works)."""
        setting = Setting(section, key, type, default, help, env, owner=self.declaring)
        if setting.name in self._settings:
            self.conflicts.append((self._settings[setting.name], setting))
        else:
            self._settings[setting.name] = setting

    def __iter__(self):
        return iter(self._settings.values())


_UNSET = getattr(click.core, "UNSET", None)  # click >= 8.3 marks "no default" so


def _default_of(param, ctx):
    default = param.get_default(ctx, call=False)
    return None if default is _UNSET or callable(default) else default


def _config_key(param):
    """The key a click parameter is configured by: its first long option name, or the
    shared JUGFILE argument's name; None for what config does not give (other arguments)."""
    if isinstance(param, click.Argument):
        return normalise_key(param.name) if getattr(param, "jug_main", False) else None
    longs = [o for o in param.opts if o.startswith("--")]
    return normalise_key(longs[0][2:]) if longs else None


class Schema:
    """Every key, by section.  ``listed`` holds each key once, in the section where
    `jug config` shows it; ``by_command`` maps a command name to {key: Setting} of
    all its options, the shared ones included."""

    def __init__(self, cli=None, settings=()):
        for first, second in getattr(settings, "conflicts", ()):
            raise JugError(f"the setting {first.name} is declared twice: by plugin '{first.owner}' and by "
                           f"plugin '{second.owner}'. Uninstall one, or block it with JUG_DISABLE_PLUGINS.")
        self.listed = {}
        self.by_command = {}
        for name, command in sorted((getattr(cli, "commands", None) or {}).items()):
            self._add_command(name, command)
        for setting in settings:
            if setting.name in self.listed:
                raise JugError(f"plugin '{setting.owner}' declares the setting {setting.name}, which is "
                               f"already an option of 'jug {setting.section}'; choose another key")
            self.listed[setting.name] = setting

    def _add_command(self, name, command):
        options = self.by_command[name] = {}
        ctx = click.Context(command)
        for param in command.params:
            key = _config_key(param)
            if key is None:
                continue
            section = MAIN if getattr(param, "jug_main", False) else name
            setting = Setting(section, key, param.type, _default_of(param, ctx),
                              getattr(param, "help", "") or "", owner=name, param=param)
            options[key] = setting
            self.listed.setdefault(setting.name, setting)

    @property
    def sections(self):
        return {MAIN, *self.by_command, *(s.section for s in self.listed.values())}

    def targets(self, section, key):
        """The settings ``[section] key`` sets: one, several (a [main] key that is an
        option of several commands), or none (an unknown key)."""
        listed = self.listed.get(f"{section}.{key}")
        if section in self.by_command and key in self.by_command[section]:
            return [self.by_command[section][key]]
        if listed is not None:
            return [listed]
        if section == MAIN:
            return [options[key] for options in self.by_command.values() if key in options] + [
                s for s in self.listed.values() if s.key == key and s.param is None]
        return []

    def keys_of(self, section):
        """Every key ``[section]`` accepts (for "did you mean")."""
        keys = {s.key for s in self.listed.values() if s.section == section}
        if section == MAIN:
            keys.update(k for options in self.by_command.values() for k in options)
            keys.update(s.key for s in self.listed.values() if s.param is None)
        keys.update(self.by_command.get(section, ()))
        return keys
