"""Configuration: jugrc files, ``[tool.jug]`` in pyproject.toml, ``JUG_*``
environment variables and declared settings, merged with provenance.

Where values come from is itself a plugin hook (``jug_config_sources``; the
built-in sources are :mod:`jugcore.config.sources`), and so are the keys
plugins add (``jug_add_settings``).  The CLI loads the configuration once per
command and hands every command's options to click as its ``default_map``,
so every option of every command can be configured without code of its own.
A plugin reads its declared settings with :func:`get_setting`.
"""
import os

from jugcore.config.merged import Config
from jugcore.config.model import ENVIRONMENT, MAIN, PROJECT, USER, ConfigEntry, ConfigSource, EnvOrigin, FileOrigin
from jugcore.config.schema import Schema, SettingsRegistry

__all__ = [
    "Config", "ConfigEntry", "ConfigSource", "EnvOrigin", "FileOrigin", "Schema", "SettingsRegistry",
    "MAIN", "ENVIRONMENT", "PROJECT", "USER", "load_config", "get_config", "get_setting",
]


def load_config(pm, cli=None, start_dir=None):
    """Read every source the plugins of ``pm`` offer, for the commands of ``cli``
    (None: declared settings only) and the folder ``start_dir`` (default: the
    current one)."""
    from jugcore.plugins import call_each

    found = call_each(pm, "jug_config_sources", start_dir=start_dir or os.getcwd())
    sources = [source for _, returned in found for source in returned or ()]
    return Config(Schema(cli, pm.settings), sources)


def get_config(pm=None):
    """The configuration of ``pm`` (default: the active plugin manager), read on first use."""
    from jugcore.plugins import get_plugin_manager

    pm = pm or get_plugin_manager()
    if pm.config is None:
        pm.config = load_config(pm)
    return pm.config


def get_setting(name, pm=None):
    """The value of the setting ``"section.key"`` (``"key"`` for [main]), from the
    first source that sets it, else its declared default."""
    return get_config(pm).get(name)
