"""Helpers for jugfiles (``jug.utils``), plus ``CachedFunction``.

Task names here are Jug 2.7's (``identity``, ``jug.utils.jug_execute``,
``jug.utils.glob_sort``): they are part of the keys.
"""
import glob
import os
import stat

from jugcore.errors import JugError
from jugcore.formats.hashing import hash_one
from jugcore.model.jug_names import present_as
from jugcore.model.task import Task, TaskGenerator, Tasklet, value
from jugcore.model.wrappers import CustomHash

__all__ = [
    "identity", "CustomHash", "timed_path", "hash_with_mtime_size", "jug_execute", "CommandFailed",
    "sync_move", "glob_sort", "cached_glob", "CachedFunction",
]


def _identity(x):
    return x


def identity(x):
    """A task whose result is ``x``: hash a big argument once, then pass the task
    (tasks and tasklets are returned unchanged)."""
    if isinstance(x, (Task, Tasklet)):
        return x
    t = Task(_identity, x)
    t.name = "identity"
    return t


def hash_with_mtime_size(path):
    """The key bytes of ``path`` with its modification time (whole seconds, as
    Jug 2.7 reads it) and size."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise JugError(f"timed_path: {path!r} does not exist (relative to {os.getcwd()}); "
                       "create the file or correct the path") from None
    return hash_one((path, st[stat.ST_MTIME], st.st_size))


def timed_path(path):
    """``path``, keyed with the file's modification time and size: touching or
    resizing the file reruns the tasks that take it."""
    return CustomHash(path, hash_with_mtime_size)


class CommandFailed(SystemError):
    """A command run by jug_execute exited non-zero (a SystemError, as in Jug 2.7)."""


@TaskGenerator
def jug_execute(args, check_exit=True, run_after=None, return_value=None):
    """Run the command ``args`` (a list) as a task; returns ``return_value``.

    ``run_after`` and ``return_value`` are there to order tasks: pass another
    task's result and this one waits for it.  With ``check_exit`` a non-zero
    exit fails the task."""
    import subprocess  # here: `import jug` loads this module, and most jugfiles never need it

    code = subprocess.call(args)
    if check_exit and code != 0:
        raise CommandFailed(f"Command {args!r} failed with exit code {code}")
    return return_value


def sync_move(src, dst):
    """Rename ``src`` to ``dst``, then fsync ``dst``'s folder so the rename
    survives a power cut (the file's own contents are not synced)."""
    os.rename(src, dst)
    folder = os.open(os.path.dirname(dst) or ".", os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def glob_sort(pattern):
    """``glob.glob(pattern)``, sorted."""
    return sorted(glob.glob(pattern))


def CachedFunction(f, *args, **kwargs):
    """``f(*args, **kwargs)`` now, unless the store has it: the result is stored
    as an ordinary task's (which ``jug status`` then counts)."""
    t = Task(f, *args, **kwargs)
    if not t.can_load():
        if not t.can_run():
            raise ValueError(f"jug.CachedFunction: unable to run task {t}: its inputs have no results yet")
        t.run()
    return value(t)


def cached_glob(pattern):
    """``glob_sort(pattern)`` run while the jugfile is imported and kept in the store:
    files added later are not seen until that ``jug.utils.glob_sort`` task is
    invalidated."""
    return CachedFunction(glob_sort, pattern)


present_as("jug.utils", _identity, identity, hash_with_mtime_size, timed_path, jug_execute.f, sync_move,
           glob_sort, cached_glob, CommandFailed)
present_as("jug.task", CachedFunction)
