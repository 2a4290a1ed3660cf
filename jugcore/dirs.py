"""The user's folders for jug: ``platformdirs.user_config_dir("jug")`` and
``user_cache_dir("jug")``.  On Linux they are computed here as platformdirs
computes them (XDG variables, else ~/.config and ~/.cache), because importing
platformdirs costs every command about 13 ms (measured after `jug`'s own
imports on the project's 2-core machine), a tenth of a short `jug status`;
elsewhere platformdirs answers."""
import os
import sys

__all__ = ["user_config_dir", "user_cache_dir"]


def user_config_dir():
    return _linux_dir("XDG_CONFIG_HOME", "~/.config") or _platformdirs().user_config_dir("jug")


def user_cache_dir():
    return _linux_dir("XDG_CACHE_HOME", "~/.cache") or _platformdirs().user_cache_dir("jug")


def _linux_dir(variable, default):
    if not sys.platform.startswith("linux"):
        return None
    return os.path.join(os.environ.get(variable, "").strip() or os.path.expanduser(default), "jug")


def _platformdirs():
    import platformdirs

    return platformdirs
