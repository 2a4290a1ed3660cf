"""Which config files we may read: those another user could not have written.

A jugrc names the jugdir, and a jugdir such as ``dict_store:FILE`` is a pickle
that runs code when loaded, so a config file written by someone else runs
their code as whoever types `jug status` below it.  As git does since
CVE-2022-24765 (``safe.directory``), a file, or the git repository that makes
the folders above the current one count, is trusted only when it belongs to
the current user or to root and is not writable by every user.  Group write
is allowed: a group's shared project folder is the common case on clusters,
and its members already share each other's jugdirs.

Trust in other folders is given in the user's own jugrc (``[main]
safe-directories = /shared/project /other``) or in ``JUG_SAFE_DIRECTORIES``
(separated by ``:``), never by a project file; ``*`` trusts every folder.
"""
import os
import pwd
__all__ = ["SAFE_DIRECTORIES", "distrust", "is_allowed"]

SAFE_DIRECTORIES = "safe-directories"
_ENV = "JUG_SAFE_DIRECTORIES"


def distrust(path):
    """Why ``path`` (a file or folder) must not be trusted, or None when it may."""
    try:
        info = os.stat(path)
    except OSError:
        return None  # gone: there is nothing to read
    if info.st_uid not in (os.geteuid(), 0):
        return f"it belongs to {_user_name(info.st_uid)}"
    if info.st_mode & 0o002:
        return "every user may write it"
    return None


def _user_name(uid):
    try:
        return f"user {pwd.getpwuid(uid).pw_name}"
    except (ImportError, KeyError):
        return f"user id {uid}"


def is_allowed(path, user_file):
    """Did the user list ``path``'s folder (or one above it) as safe, in the
    environment or in ``user_file`` (the user's own jugrc, or None)?"""
    folder = os.path.dirname(os.path.abspath(path))
    for listed in _listed(user_file):
        if listed == "*":
            return True
        listed = os.path.abspath(os.path.expanduser(listed))
        if folder == listed or folder.startswith(listed.rstrip(os.sep) + os.sep):
            return True
    return False


def _listed(user_file):
    yield from filter(None, os.environ.get(_ENV, "").split(os.pathsep))
    if user_file is None:
        return
    for entry in user_file.read(None):
        if entry.section == "main" and entry.key == SAFE_DIRECTORIES:
            yield from str(entry.value).split()


def ignored_message(path, reason, what="config file"):
    """The one-line warning for a config file (or git repository) left unread."""
    return (f"ignoring the {what} {path}: {reason}, and it could run code as you. If you trust it, "
            f"add its folder to `{SAFE_DIRECTORIES} = ...` in [main] of your own jugrc, or to {_ENV}.")
