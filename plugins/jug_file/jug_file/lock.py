"""The file lock: ``<jugdir>/locks/<key>.lock`` created with O_EXCL, as Jug 2.7 does.

A failed task keeps its lock with mtime 1 s after the epoch (Jug's marker).
A lock left by a dead process of this machine is taken over here without
anyone clearing it by hand (see owner.py for what counts as dead).
"""
import os

from jug_file import owner
from jugcore.store import Lock

FAILED_MTIME = 1
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL


class FileLock(Lock):
    __slots__ = ("path", "_dir")

    def __init__(self, locks_dir, key):
        self._dir = locks_dir
        self.path = f"{locks_dir}{os.sep}{key.decode('ascii')}.lock"

    def get(self):
        if self._create():
            return True
        return self._take_over_if_stale()

    def _create(self, path=None):
        path = path or self.path
        try:
            fd = os.open(path, _CREATE, 0o644)
        except FileExistsError:
            return False
        except FileNotFoundError:
            os.makedirs(self._dir, exist_ok=True)
            return self._create(path)
        try:
            os.write(fd, owner.lock_text())
        finally:
            os.close(fd)
        return True

    def _take_over_if_stale(self):
        text = _read(self.path)
        if text is None or self.is_failed() or not owner.is_stale(text):
            return False
        # Of several workers that judge the lock stale, the one holding the
        # break guard (O_EXCL) looks again and replaces it; nobody ever moves
        # or deletes a lock it has not re-checked under the guard.
        guard = self.path + ".break"
        if not self._create(guard):
            guard_text = _read(guard)
            if guard_text is not None and owner.is_stale(guard_text):
                _unlink(guard)  # its holder died mid take-over; the next attempt retries
            return False
        try:
            if _read(self.path) != text:
                return False  # released or replaced meanwhile
            _unlink(self.path)
            return self._create()
        finally:
            _unlink(guard)

    def release(self):
        _unlink(self.path)

    def is_locked(self):
        return os.path.exists(self.path)

    def fail(self):
        try:
            os.utime(self.path, (FAILED_MTIME, FAILED_MTIME))
        except OSError:
            return False
        return True

    def is_failed(self):
        try:
            return os.stat(self.path).st_mtime == FAILED_MTIME
        except OSError:
            return False

    def owner_text(self):
        return _read(self.path)


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
