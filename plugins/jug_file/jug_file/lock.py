"""The file lock: ``<jugdir>/locks/<key>.lock`` created with O_EXCL, as Jug 2.7 does.

A failed task keeps its lock with mtime 1 s after the epoch (Jug's marker),
and a line saying why (a FailureRecord) that Jug ignores.
A lock left by a dead process of this machine is taken over here without
anyone clearing it by hand (see owner.py for what counts as dead).
"""
import os

from jug_file import owner
from jugcore.failures import FailureRecord, may_retry
from jugcore.store import Lock

FAILED_MTIME = 1
_FAILURE_MARK = "jugcore-failure"
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
        return self._replace(text)

    def take_failed(self, recorded_before):
        text = _read(self.path)
        if text is None or not self.is_failed():
            return False
        if not may_retry(_failure_in(text), recorded_before):
            return False
        return self._replace(text)

    def _replace(self, seen):
        """Replace the lock whose content we judged (``seen``) by ours.

        Of several workers that judged it, the one holding the break guard
        (O_EXCL) looks again and replaces it; nobody ever moves or deletes a
        lock it has not re-checked under the guard.
        """
        guard = self.path + ".break"
        if not self._create(guard):
            guard_text = _read(guard)
            if guard_text is not None and owner.is_stale(guard_text):
                _unlink(guard)  # its holder died mid take-over; the next attempt retries
            return False
        try:
            if _read(self.path) != seen:
                return False  # released or replaced meanwhile
            _unlink(self.path)
            return self._create()
        finally:
            _unlink(guard)

    def release(self):
        _unlink(self.path)

    def is_locked(self):
        return os.path.exists(self.path)

    def fail(self, record=None):
        try:
            if record is not None:  # appended: Jug reads only the first line, and the mtime
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                try:
                    os.write(fd, f"{_FAILURE_MARK} {record.to_json()}\n".encode())
                finally:
                    os.close(fd)
            os.utime(self.path, (FAILED_MTIME, FAILED_MTIME))
        except OSError:
            return False
        return True

    def failure(self):
        text = _read(self.path)
        return _failure_in(text) if text is not None and self.is_failed() else None

    def is_failed(self):
        try:
            return os.stat(self.path).st_mtime == FAILED_MTIME
        except OSError:
            return False

    def owner_text(self):
        return _read(self.path)


def _failure_in(text):
    for line in text.splitlines():
        if line.startswith(_FAILURE_MARK):
            return FailureRecord.from_json(line[len(_FAILURE_MARK):])
    return None


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
