"""The pack: small results of a file jugdir gathered into ``<jugdir>/packs/jugpack``.

Jug 2.7's format: the result stream (see jugcore.formats.encoding) of one dict
{key: value}.  Every writer of the pack holds the lock ``locks/pack-save.lock``
(Jug 2.7's name), re-reads the pack under it and replaces it atomically, so
that changes made by other processes are never lost.

Readers keep the decoded pack in memory and read it again when the file
changed (a new file is renamed into place, so a new inode): a result another
process packed since stays found.
A result file and a packed value for the same key can both exist (a result
stored again after it was packed); the file is the newer one and wins.
"""
import contextlib
import os
import time

from jug_file import owner
from jugcore.api import CorruptResult, JugError, decode, encode

__all__ = ["Pack", "PACK_LOCK_KEY", "MAX_PACKED_SIZE"]

PACK_LOCK_KEY = b"pack-save"
MAX_PACKED_SIZE = 512  # bytes of a result file; Jug 2.7 packs the same ones
_LOCK_PATIENCE = 120.0  # seconds to wait for another writer of the pack
_NEVER_READ = object()


class Pack:
    """The pack of one FileStore (which writes files atomically and makes locks)."""

    def __init__(self, store):
        self._store = store
        self.path = os.path.join(store.path, "packs", "jugpack")
        self._seen = _NEVER_READ  # (inode, mtime, size) of the file ``_values`` came from
        self._values = {}

    def current(self) -> dict:
        """{key: value} as the pack file holds it now (empty if there is none)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._seen, self._values = None, {}
            return self._values
        signature = _identity(st)
        if signature != self._seen:
            self._values = self._read()
            self._seen = signature
        return self._values

    def last_read(self) -> dict:
        """The pack as this process last read it (read now if never), without a
        stat: enough before storing a result, whose key was just found missing
        in the pack as well (a key packed since then is one stored twice)."""
        return self.current() if self._seen is _NEVER_READ else self._values

    def _read(self):
        try:
            with open(self.path, "rb") as f:
                values = decode(f.read())
        except Exception as e:
            raise JugError(
                f"the pack {self.path} cannot be read ({type(e).__name__}: {e}). Restore it from a "
                "backup, or delete it to recompute the results it held with jug execute."
            ) from None
        if not isinstance(values, dict):
            raise JugError(f"the pack {self.path} holds a {type(values).__name__}, not a dict of results; "
                           "delete it to recompute the results it held with jug execute.")
        return values

    def remove(self, keys) -> set:
        """Take ``keys`` out of the pack; the ones that were in it."""
        removed = set()

        def drop(values):
            removed.update(k for k in keys if k in values)
            for k in removed:
                del values[k]
            return bool(removed)

        self.modify(drop)
        return removed

    def modify(self, change):
        """Under the pack lock: ``change(values)`` on a fresh copy of the pack,
        written back if it returns True."""
        lock = self._store.getlock(PACK_LOCK_KEY)
        _wait_for(lock)
        try:
            self._seen = None  # whatever we hold may be older than the file
            values = dict(self.current())
            if change(values):
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                self._store.write_file(self.path, encode(values))
                self._seen, self._values = _identity_of(self.path), values  # ours while we hold the lock
        finally:
            lock.release()

    def absorb_small_results(self, max_size=MAX_PACKED_SIZE) -> int:
        """Move every result file of at most ``max_size`` bytes into the pack
        (`jug pack`); the number moved.  A file removed or replaced meanwhile
        (invalidate, a worker storing it again) is left as it is now, and so is
        a file that cannot be decoded (loading it reports it)."""
        candidates = {}
        for key in self._store.list_files():
            path = self._store.result_path(key)
            try:
                st = os.stat(path)
                if st.st_size <= max_size:
                    candidates[key] = (_identity(st), self._store.load_file(key))
            except (FileNotFoundError, KeyError, CorruptResult):
                continue
        moved = []

        def add(values):
            for key, (identity, value) in candidates.items():
                if _identity_of(self._store.result_path(key)) == identity:
                    values[key] = value
                    moved.append(key)
            return bool(moved)

        if candidates:
            self.modify(add)
        for key in moved:  # after the pack holding them is in place
            path = self._store.result_path(key)
            if _identity_of(path) == candidates[key][0]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
        return len(moved)

    def writer_active(self) -> bool:
        """True while some process holds the pack lock (it may be adding keys)."""
        return self._store.getlock(PACK_LOCK_KEY).is_locked()


def _identity(st):
    return st.st_ino, st.st_mtime_ns, st.st_size


def _identity_of(path):
    try:
        return _identity(os.stat(path))
    except FileNotFoundError:
        return None


def _wait_for(lock):
    deadline = time.monotonic() + _LOCK_PATIENCE
    pause = 0.01
    while not lock.get():
        if time.monotonic() > deadline:
            holder = owner.describe(lock.owner_text())
            raise JugError(
                f"another process ({holder}) has held {lock.path} for over {_LOCK_PATIENCE:.0f} s while "
                "changing the pack. If no jug pack, invalidate or cleanup is running, delete that file."
            )
        time.sleep(pause)
        pause = min(pause * 2, 1.0)
