"""Configuration: jugrc files, ``[tool.jug]`` in pyproject.toml, ``JUG_*``
environment variables and declared settings, merged with provenance.

Where values come from is itself a plugin hook (``jug_config_sources``; the
built-in sources are :mod:`jugcore.config.sources`), and so are the keys
plugins add (``jug_add_settings``).  The CLI loads the configuration once per
command and hands every command's options to click as its ``default_map``,
so every option of every command can be configured without code of its own.
The configuration in force belongs to the app (:mod:`jugcore.app`), which
reads the sources and gives store openers their settings.
"""
from jugcore.config.merged import Config
from jugcore.config.model import ENVIRONMENT, MAIN, PROJECT, USER, ConfigEntry, ConfigSource, EnvOrigin, FileOrigin
from jugcore.config.schema import Schema, SettingsRegistry

__all__ = [
    "Config", "ConfigEntry", "ConfigSource", "EnvOrigin", "FileOrigin", "Schema", "SettingsRegistry",
    "MAIN", "ENVIRONMENT", "PROJECT", "USER",
]


def __getattr__(name):
    # Before the app object, plugins read settings with jugcore.config.get_setting.
    if name == "get_setting":
        import warnings

        from jugcore.app import get_setting

        warnings.warn("jugcore.config.get_setting is now jugcore.api.get_setting (store openers get "
                      "their settings as open(url, settings))", DeprecationWarning, stacklevel=2)
        return get_setting
    raise AttributeError(f"module 'jugcore.config' has no attribute {name!r}")
