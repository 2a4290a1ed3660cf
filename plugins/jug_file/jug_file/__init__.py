"""jug-file: the file store, a jugdir on a local or shared filesystem, laid out as Jug 2.7 lays it.

Other distributions import only the names in ``__all__`` (a test holds every
plugin of this repository to that); the modules behind them may change.
They are what a store built on this one (``jug-keepalive``) extends:

``FileStore(path, fsync=True, listing_cache=True, empty_is_none=False)``
    ``locks_dir``: the folder of the lock files, for :meth:`getlock`.
    ``getlock(key)``: override to return your ``FileLock`` subclass.
    ``commit_result(key, temp, final)``: put the complete, flushed file
    ``temp`` in place as ``key``'s result (default: rename over ``final``).
    ``describe_lock(state, text, mtime)``: the ``LockInfo`` `jug status`
    shows for a lock file holding ``text`` with ``mtime``.
``FileLock(locks_dir, key)``
    ``path``: the lock file.
    ``new_text()``: the bytes this process writes in a lock it takes (the
    default names host and pid as Jug 2.7 does, plus ``jugcore.api.this_owner()``);
    add lines, keep the default's first.
    ``is_dead(text, mtime)``: whether the holder of a lock with this content
    and mtime is gone (default: ``owner_alive`` says it ended, or an empty
    lock older than a minute); a dead lock is taken over by ``get()``.
    ``acquired(text)``: called once this object holds the lock, whose
    content is ``text`` (default: nothing).
``read_with_mtime(path)``
    ``(text, mtime)`` of a lock file from one open, or ``(None, None)``.
``lock_holder(text)``
    ``"HOST:PID"`` of the process that wrote a lock's ``text``, or ``""``.
``CorruptResultFile``
    What ``load`` raises for a result file that cannot be decoded.
"""
from jugcore.api import lazy_names

# Importing the package (as the plugin's hooks module does) must not load the
# store: every `jug` command imports every plugin.
__all__, __getattr__, __dir__ = lazy_names(globals(), {
    "jug_file.store": ("FileStore", "CorruptResultFile"),
    "jug_file.lock": ("FileLock", "read_with_mtime"),
    "jug_file.owner": ("lock_holder",),
})
