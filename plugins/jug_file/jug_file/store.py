"""The file store: results in ``<jugdir>/<key[:2]>/<key[2:]>``, Jug 2.7's layout.

A result is encoded completely in memory (an array: its header; the data is
written from the array's own memory), written to ``<jugdir>/tempfiles``,
flushed to disk (fdatasync) and renamed into place, so a reader sees a whole
result or none.  The directory entry is not fsynced: after a power cut the
newest results may be missing and are recomputed, but a file that exists
under a key always holds the complete result.

`jug pack` moves small results into one file, the pack (see pack.py); every
question about results looks there too.  Run records are appended to logs in
``<jugdir>/tempfiles/`` (see records.py).
"""
import functools
import os
import time

from jug_file.listing import ResultListing
from jug_file.lock import FileLock, failure_in
from jug_file import owner
from jug_file.pack import MAX_PACKED_SIZE, Pack
from jug_file.records import RecordLogs
from jugcore.api import (
    DEAD, FAILED, CorruptResult, LockInfo, Store, load_native, native_parts, remove_dead_temps, write_replacing,
)

__all__ = ["FileStore", "CorruptResultFile"]

EMPTY_IS_NONE = "empty-result-is-none"  # the setting
_KEY_TAIL = 38  # a key is 40 hex digits: 2 name the folder, 38 the file


class CorruptResultFile(CorruptResult):
    """A result file that exists but cannot be decoded."""


class FileStore(Store):
    def __init__(self, path, fsync=True, listing_cache=True, empty_is_none=False):
        self.path = os.path.expanduser(path)
        self.fsync = fsync
        self.empty_is_none = empty_is_none  # Jug 2.7 writes None as an empty file; we never do
        self._prefix = os.path.join(self.path, "")
        self.locks_dir = os.path.join(self.path, "locks")
        self._temp_dir = os.path.join(self.path, "tempfiles")
        self._listing = ResultListing(os.fsencode(self.path), os.fsencode(self._temp_dir), listing_cache)
        self._made_dirs = set()
        self._swept_temps = False
        self._pack = Pack(self)
        self._records = RecordLogs(self._temp_dir, self.result_path)

    def __repr__(self):
        return f"FileStore({self.path!r})"

    def result_path(self, key):
        k = key.decode("ascii") if isinstance(key, bytes) else key
        return f"{self._prefix}{k[:2]}{os.sep}{k[2:]}"

    # --- results ------------------------------------------------------------
    def dump(self, key, value):
        data = native_parts(value)  # may raise (unpicklable): nothing is written yet
        if key in self._pack.last_read():  # else Jug 2.7, which prefers the pack, would read the old value
            self._pack.remove([key])
        final = self.result_path(key)
        folder = final[: -_KEY_TAIL - 1]
        if folder not in self._made_dirs:
            os.makedirs(folder, exist_ok=True)
            self._made_dirs.add(folder)
        return self._write(final, data, functools.partial(self.commit_result, key))

    def dump_recorded(self, key, value, record):
        if self.dump(key, value):  # else another worker's result stayed, with its own record
            self._records.keep((key, time.time(), record))

    def records_many(self, keys):
        return self._records.read(keys)

    def recorded_codes(self):
        return self._records.codes()

    def close(self):
        if self._records.forgotten:  # `jug cleanup`, `invalidate`: the logs of ended writers, rewritten as one
            try:
                self._records.compact(self.list())
            except OSError:  # a jugdir gone or read-only: the logs stay as they are, still right
                pass
        self._records.close()

    def write_file(self, final, data):
        """Put ``data`` at ``final`` atomically (temp file, flush, rename)."""
        self._write(final, data, os.replace)

    def _write(self, final, data, place):
        if not self._swept_temps:  # the first write of this process clears what dead writers left
            self._swept_temps = True
            self.remove_dead_temp_files()
        return write_replacing(final, data, folder=self._temp_dir, sync=self.fsync, place=place, make_folder=True,
                        sweep=False)

    def commit_result(self, key, temp, final):
        """Put the complete, flushed file ``temp`` in place (at ``final``) as the result of
        ``key``; True.  A subclass may refuse to replace a result: it then removes
        ``temp`` and returns False."""
        os.rename(temp, final)
        return True

    def remove_dead_temp_files(self):
        """Remove the temporary files of writers that died mid-write; how many.
        In ``tempfiles`` any name counts (Jug 2.7's too, by age); in ``locks``
        only ours (a lock taken over is written beside it first)."""
        return remove_dead_temps(self._temp_dir, foreign_too=True) + remove_dead_temps(self.locks_dir)

    def load(self, key):
        try:
            return self.load_file(key)
        except KeyError:
            packed = self._pack.current()
            if key in packed:
                return packed[key]
            raise

    def load_file(self, key):
        """The value in ``key``'s result file (not the pack); KeyError if there is none.
        An array is read straight into its own memory (see load_native)."""
        path = self.result_path(key)
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            raise KeyError(key) from None
        with f:
            empty = not f.peek(1)
            if empty and self.empty_is_none:
                return None
            try:
                return load_native(f)
            except Exception as e:
                hint = f" (if Jug 2.7 wrote this jugdir, an empty file is its None: set [file] {EMPTY_IS_NONE} = " \
                    "true)" if empty else ""
                raise CorruptResultFile(f"{e}{hint} (file {path})") from None

    def can_load(self, key):
        return os.path.exists(self.result_path(key)) or key in self._pack.current()

    def remove(self, key):
        return self.remove_many([key]) > 0

    def remove_many(self, keys):
        keys = list(keys)
        removed = set()
        for key in keys:
            try:
                os.unlink(self.result_path(key))
                removed.add(key)
            except FileNotFoundError:
                pass
        # Checked after the unlinks: a `jug pack` that read one of these files
        # either still holds the pack lock or has already written the pack.
        if self._pack.writer_active() or not self._pack.current().keys().isdisjoint(keys):
            removed |= self._pack.remove(keys)
        self._records.forget(removed)
        return len(removed)

    def list(self):
        return self.list_files() | self._pack.current().keys()

    def list_files(self):
        """Keys with a result file (packed results not included)."""
        return {k for k in self._all_keys() if len(k) == 2 + _KEY_TAIL}

    def metadata(self, key):
        """Jug 2.7's: ``{'computed': bool}``, plus ``'completed'`` (ctime text of the
        result file's mtime) when the result is a file of its own."""
        try:
            mtime = os.stat(self.result_path(key)).st_mtime
        except FileNotFoundError:
            return {"computed": self.can_load(key)}
        return {"computed": True, "completed": time.ctime(mtime)}

    def can_load_many(self, keys):
        keys = keys if isinstance(keys, (set, frozenset, list, tuple)) else list(keys)
        if len(keys) < 64:  # a few stats beat listing a large jugdir
            found = {k for k in keys if os.path.exists(self.result_path(k))}
        else:
            found = self._listing.present(keys if isinstance(keys, list) else list(keys))
        if len(found) < len(keys):
            found.update(self._pack.current().keys() & set(keys))
        return found

    def pack_small_results(self, max_size=MAX_PACKED_SIZE):
        """Move the result files of at most ``max_size`` bytes into the pack
        (`jug pack`); how many were moved."""
        return self._pack.absorb_small_results(max_size)

    def _all_keys(self):
        return self._listing.names()

    # --- locks --------------------------------------------------------------
    def getlock(self, key):
        return FileLock(self.locks_dir, key)

    def listlocks(self):
        try:
            names = os.listdir(os.fsencode(self.locks_dir))
        except FileNotFoundError:
            return []
        return [n[:-5] for n in names if n.endswith(b".lock")]

    def lock_state_many(self, keys):
        return {key: state for key, (state, _, _) in self._lock_states(keys).items() if state != DEAD}

    def lock_info_many(self, keys):
        return {key: self.describe_lock(state, text, mtime)
                for key, (state, text, mtime) in self._lock_states(keys).items()}

    def _lock_states(self, keys):
        """{key: (state, lock text, mtime)} for those of ``keys`` that have a lock."""
        states = {}
        for key in set(self.listlocks()).intersection(keys):
            found = self.getlock(key).state()
            if found is not None:  # else released while we looked
                states[key] = found
        return states

    def describe_lock(self, state, text, mtime):
        """The LockInfo `jug status` shows for a lock in ``state`` whose file holds
        ``text`` and has ``mtime``; a subclass may add what its lines say."""
        if state == FAILED:
            record = failure_in(text)
            return LockInfo(FAILED, owner.describe(text), record.time if record else None)
        return LockInfo(state, owner.describe(text), mtime)
