"""The built-in config sources (a plugin like any other, entry point
``config-sources``): the environment, the project's files and the user's file.

Project files are ``.jugrc`` and ``jugrc`` (INI) in the start folder and each
parent up to the git root (only the start folder outside a git repository, as
in Jug 2), the closest first and ``.jugrc`` before ``jugrc`` in one folder;
and ``[tool.jug]`` in the nearest ``pyproject.toml`` of those folders, after the
jugrc files of its folder.  The user file is the first that exists of
``platformdirs.user_config_dir("jug")/jugrc`` (``~/.config/jug/jugrc`` on
Linux), ``~/.config/jugrc`` and ``~/.jug/configrc``.

Only files that exist are read, and a pyproject.toml is parsed only when it
mentions ``tool.jug``: most commands start with nothing to parse.  Files and
git repositories another user could have written are left unread, with a
warning (:mod:`jugcore.config.trust`).
"""
import os

from jugcore.config import trust
from jugcore.config.model import ENVIRONMENT, MAIN, PROJECT, USER, ConfigEntry, ConfigSource, EnvOrigin
from jugcore.dirs import user_config_dir
from jugcore.errors import JugError
from jugcore.markers import hookimpl

__all__ = ["EnvironmentSource", "FileSource", "Unread", "project_files", "user_file"]


class EnvironmentSource(ConfigSource):
    """``JUG_<SECTION>_<KEY>`` (``JUG_<KEY>`` for [main]), and the names settings add."""

    rank = ENVIRONMENT

    def __init__(self, environ=None):
        self.environ = os.environ if environ is None else environ

    def read(self, schema):
        entries = []
        for setting in schema.listed.values():
            for name in setting.env:
                if name in self.environ:
                    entries.append(ConfigEntry(setting.section, setting.key, self.environ[name], EnvOrigin(name)))
                    break
        return entries


def _read_ini(path, text):
    from jugcore.config.ini import read_ini  # 0.7 ms, and most commands find no file to read

    return read_ini(path, text)


def _read_pyproject(path, text):
    from jugcore.config.pyproject import read_pyproject  # 0.8 ms (with tomllib 2 ms more)

    return read_pyproject(path, text)


class FileSource(ConfigSource):
    """One file, read with ``parse(path, text)``: INI by default, or ``[tool.jug]``
    of a pyproject.toml (readers imported only for files that exist)."""

    def __init__(self, path, rank, parse=_read_ini):
        self.path = path
        self.parse = parse
        self.rank = rank

    def read(self, schema):
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise JugError(f"cannot read the config file {self.path}: {e}") from None
        return self.parse(self.path, text)

    def __repr__(self):
        return f"FileSource({self.path!r})"


class Unread(ConfigSource):
    """A config file (or git repository) left unread because another user could
    have written it: no entries, one warning (given by ``Config.check``)."""

    def __init__(self, path, reason, what="config file"):
        self.path = path
        self.warnings = [trust.ignored_message(path, reason, what)]

    def read(self, schema):
        return []

    def __repr__(self):
        return f"Unread({self.path!r})"


class _Trust:
    """Decides, for each file found, whether it is read; reads the user's list of
    safe folders only when some file needs it."""

    def __init__(self, user):
        self.user = user

    def source(self, path, rank, parse=_read_ini, what="config file"):
        reason = trust.distrust(path)
        if reason is None or trust.is_allowed(path, self.user):
            return FileSource(path, rank, parse)
        return Unread(path, reason, what)


def _folders_to_git_root(start_dir, trusted):
    """(The start folder and its parents up to the one holding ``.git`` (a folder,
    or a file in worktrees), a warning source or None): only the start folder
    when there is no git root, or when that git root is not ``trusted``."""
    folder = os.path.abspath(start_dir)
    chain = [folder]
    while not os.path.exists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return chain[:1], None
        folder = parent
        chain.append(folder)
    if len(chain) > 1:  # the start folder's own repository widens nothing
        checked = trusted.source(os.path.join(folder, ".git"), PROJECT, what="git repository")
        if isinstance(checked, Unread):
            return chain[:1], checked
    return chain, None


def project_files(start_dir, user=None):
    """The project's config files, the closest (winning) first (with ``Unread``
    in place of those another user could have written).  ``user`` is the
    user's own jugrc, which may list folders to trust."""
    trusted = _Trust(user)
    folders, refused_root = _folders_to_git_root(start_dir, trusted)
    found, pyproject_seen = [], False
    for folder in folders:
        for name in (".jugrc", "jugrc"):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                found.append(trusted.source(path, PROJECT))
        pyproject = os.path.join(folder, "pyproject.toml")
        if not pyproject_seen and os.path.isfile(pyproject):
            pyproject_seen = True
            found.append(trusted.source(pyproject, PROJECT, _read_pyproject))
    return found + ([refused_root] if refused_root else [])


def user_file():
    """The user's config file (``Unread`` when every user may write it), or None."""
    candidates = (os.path.join(user_config_dir(), "jugrc"), "~/.config/jugrc", "~/.jug/configrc")
    for candidate in candidates:
        path = os.path.expanduser(candidate)
        if os.path.isfile(path):
            return _Trust(None).source(path, USER)
    return None


@hookimpl
def jug_add_settings(settings):
    settings.add(MAIN, trust.SAFE_DIRECTORIES, type=str, default=None,
                 help="Folders whose config files are read although another user owns them "
                      "(your own jugrc or JUG_SAFE_DIRECTORIES only; * for all).")


@hookimpl
def jug_config_sources(start_dir):
    user = user_file()
    readable_user = user if isinstance(user, FileSource) else None
    return [EnvironmentSource(), *project_files(start_dir, readable_user), *([user] if user else [])]
