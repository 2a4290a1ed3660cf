"""Jug 2's option functions (``jug.options``) over jugcore's configuration:
options declared as Jug named them (:class:`Jug2Option`), the common ones
(``add_common_options``), and the jugrc files read into Jug's chained
``Options`` (``read_configuration_file``): ``[main] jugdir`` is
``options.jugdir``, ``[execute] keep-going`` is ``options.execute_keep_going``.
Files are found and parsed by :mod:`jugcore.config` (so a jugrc another user
could have written is skipped, with a warning, as `jug` skips it)."""
import os
from typing import NamedTuple

from jugcore.builtin.jug2_subcommands import COMMON_DEFAULTS, Options

__all__ = ["Jug2Option", "COMMON_OPTIONS", "add_common_options", "key_to_option",
           "find_local_configuration_files", "read_configuration_file"]

_JUGRC_NAMES = (".jugrc", "jugrc")
_FALSE_WORDS = ("", "0", "false", "off", "no", "n")  # Jug's: any other word is true
_NOT_SET = object()


class Jug2Option(NamedTuple):
    """Jug's ``dest`` for an option spelt ``flags`` (ours first); a flag when
    ``default`` is False."""

    dest: str
    flags: tuple
    default: object = False

    @property
    def is_flag(self):
        return self.default is False

    def add_to(self, parser):
        """Add it to an argparse parser as Jug did (store_const: an absent flag
        is None, so the configuration decides)."""
        if self.is_flag:
            parser.add_argument(*self.flags, action="store_const", const=True, dest=self.dest)
        else:
            kind = None if self.default is None else type(self.default)
            parser.add_argument(*self.flags, action="store", dest=self.dest, type=kind)

    def arguments(self, options):
        """Our command-line arguments for its value in ``options`` (none for the default)."""
        value = getattr(options, self.dest, _NOT_SET)
        if value is _NOT_SET or value is None or value == self.default:
            return []
        if self.is_flag:
            return [self.flags[0]] if value else []
        return [f"{self.flags[0]}={value}"]


# The options every Jug 2 command took (the jugfile and its arguments apart).
COMMON_OPTIONS = (
    Jug2Option("jugdir", ("--jugdir",), COMMON_DEFAULTS["jugdir"]),
    Jug2Option("verbose", ("--verbose",), COMMON_DEFAULTS["verbose"]),
    Jug2Option("aggressive_unload", ("--aggressive-unload",)),
    Jug2Option("short", ("--short",)),
    Jug2Option("pdb", ("--pdb",)),
    Jug2Option("debug", ("--debug",)),
    Jug2Option("will_cite", ("--will-cite",)),
)


def add_common_options(parser):
    """Add the jugfile argument and the common options to an argparse parser,
    in a group named "common"."""
    group = parser.add_argument_group("common")
    group.add_argument("jugfile", nargs="?", help=f"the jugfile (default {COMMON_DEFAULTS['jugfile']})")
    for option in COMMON_OPTIONS:
        option.add_to(group)


def key_to_option(key):
    """A configuration key as an option's name: ``keep-going`` is ``keep_going``."""
    return key.replace("-", "_")


def find_local_configuration_files():
    """The paths of the project's jugrc files (``.jugrc``, ``jugrc``) for the
    current folder, the closest first: this folder's, and up to the git
    repository's top when there is one."""
    from jugcore.config.sources import FileSource, project_files, user_file

    user = user_file()
    found = project_files(os.getcwd(), user if isinstance(user, FileSource) else None)
    _warn_unread(found)
    return [source.path for source in found
            if isinstance(source, FileSource) and os.path.basename(source.path) in _JUGRC_NAMES]


def read_configuration_file(fp=None, default_options=None):
    """The settings of the jugrc ``fp`` (an open file, closed after), or of
    the user's jugrc and the project's (the closest winning), as ``Options``
    chained to ``default_options``, whose values also give each setting its
    type (a bool default: 0/false/off/no/n and "" are False)."""
    if fp is not None:
        with fp:
            text = fp.read()
        return _options_of(_entries(getattr(fp, "name", "jugrc"), text), default_options, default_options)
    from jugcore.config.sources import FileSource, user_file

    chain = Options(default_options)
    user = user_file()
    _warn_unread([user] if user else [])
    paths = [user.path] if isinstance(user, FileSource) else []
    for path in paths + find_local_configuration_files()[::-1]:  # the farthest first, so the closest wins
        with open(path, encoding="utf-8") as f:
            chain = _options_of(_entries(path, f.read()), chain, default_options)
    return chain


def _entries(path, text):
    from jugcore.config.ini import read_ini

    return read_ini(str(path), text)


def _options_of(entries, following, default_options):
    options = Options(following)
    for entry in entries:
        name = key_to_option(entry.key) if entry.section == "main" else \
            f"{key_to_option(entry.section)}_{key_to_option(entry.key)}"
        setattr(options, name, _typed(entry.value, getattr(default_options, name, None)))
    return options


def _typed(text, default):
    if default is None:
        return text
    if isinstance(default, bool):
        return text.strip().lower() not in _FALSE_WORDS
    return type(default)(text)


def _warn_unread(sources):
    """Say why each file left unread was."""
    from jugcore.errors import warn

    for source in sources:
        for message in getattr(source, "warnings", ()):
            warn(message)
