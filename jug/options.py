"""``jug.options``: Jug 2's option object and defaults (jugcore.builtin.jug2_subcommands),
``set_jugdir`` (jugcore.face), the jugrc readers (jugcore.builtin.jug2_options) and, loaded
on first use, Jug's command-line parser (jugcore.cli.jug2_parse)."""
import importlib

from jug.jug_version import __version__  # noqa: F401
from jugcore.builtin.jug2_options import (  # noqa: F401
    add_common_options, find_local_configuration_files, key_to_option, read_configuration_file,
)
from jugcore.builtin.jug2_subcommands import Options, default_options, load_default_options  # noqa: F401
from jugcore.face import set_jugdir  # noqa: F401

_PARSER_NAMES = ("build_parser", "parse")


def __getattr__(name):
    if name in _PARSER_NAMES:
        return getattr(importlib.import_module("jugcore.cli.jug2_parse"), name)
    raise AttributeError(f"module 'jug.options' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PARSER_NAMES))
