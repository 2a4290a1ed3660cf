"""Jug 2.7's `jug status --cache`, `--cache-file FILE` and `--clear`, accepted.

Jug 2.7 kept finished tasks in an SQLite file and stopped looking at them,
so its cached status went stale after `jug invalidate`, a result removed by
hand or a changed jugfile.  Here there is nothing such to keep: the jugfile
has to run anyway to know its tasks (it may glob data files, or stop at a
barrier), and the file store keeps its own listing cache, which cannot go
stale (a folder's listing is reused only while the folder's modification
time is unchanged and was already old when it was listed).  So `--cache`
gives the same exact status as a plain `jug status`, as fast; and `--clear`
removes a cache file Jug 2.7 left, as Jug's does.
"""
import functools
import os
import stat

import click

from jugcore.errors import JugError

__all__ = ["jug27_cache_options", "DEFAULT_CACHE_FILE"]

DEFAULT_CACHE_FILE = ".jugstatus.sqlite3"  # Jug 2.7's, in the current folder
_SQLITE_HEADER = b"SQLite format 3\x00"


def jug27_cache_options(command):
    """Decorator for `jug status`: adds the three options and, for `--cache
    --clear`, removes the cache file instead of running the command."""

    @click.option("--cache", is_flag=True,
                  help="Accepted for Jug 2.7 scripts: the status is always exact and needs no cache of its own.")
    @click.option("--cache-file", metavar="FILE", default=DEFAULT_CACHE_FILE, show_default=True,
                  help="Jug 2.7's status cache, which --cache --clear removes.")
    @click.option("--clear", is_flag=True, help="With --cache: remove Jug 2.7's status cache file, and stop.")
    @functools.wraps(command)
    def with_cache_options(ctx, cache, cache_file, clear, **options):
        if cache and clear:
            remove_jug27_cache(cache_file)
            return None
        return command(ctx, **options)

    return with_cache_options


def remove_jug27_cache(path):
    """Remove ``path`` if it is an SQLite file of ours; nothing if it is absent."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        raise JugError(f"'{path}' is not a status cache file of yours (a link, a folder or another user's "
                       "file); it was left alone. Remove it yourself if it should go.")
    with open(path, "rb") as f:
        if f.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
            raise JugError(f"'{path}' is not a Jug status cache (not an SQLite file); it was left alone. "
                           "Name the cache with --cache-file FILE.")
    os.unlink(path)
    click.echo(f"Removed the status cache {path}.")
