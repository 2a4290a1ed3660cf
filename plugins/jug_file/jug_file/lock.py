"""The file lock: ``<jugdir>/locks/<key>.lock`` created with O_EXCL, as Jug 2.7 does.

A failed task keeps its lock with mtime 1 s after the epoch (Jug's marker).
A lock left by a dead process of this machine is taken over here without
anyone typing `jug cleanup` (see owner.py for what counts as dead).
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

    def _create(self):
        try:
            fd = os.open(self.path, _CREATE, 0o644)
        except FileExistsError:
            return False
        except FileNotFoundError:
            os.makedirs(self._dir, exist_ok=True)
            return self._create()
        try:
            os.write(fd, owner.lock_text())
        finally:
            os.close(fd)
        return True

    def _take_over_if_stale(self):
        try:
            with open(self.path) as f:
                text = f.read()
            if os.stat(self.path).st_mtime == FAILED_MTIME or not owner.is_stale(text):
                return False
        except OSError:
            return False
        # Move the stale lock aside atomically: of several workers racing, one
        # rename succeeds.  If what we moved is not what we judged (someone
        # replaced it in between), put it back.
        aside = f"{self.path}.stale.{os.getpid()}"
        try:
            os.rename(self.path, aside)
        except OSError:
            return False
        with open(aside) as f:
            moved = f.read()
        if moved != text:
            try:
                os.link(aside, self.path)
            except OSError:
                pass
            os.unlink(aside)
            return False
        os.unlink(aside)
        return self._create()

    def release(self):
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

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
        try:
            with open(self.path) as f:
                return f.read()
        except OSError:
            return None
