"""The file lock: ``<jugdir>/locks/<key>.lock`` created with O_EXCL, as Jug 2.7 does.

A failed task keeps its lock with mtime 1 s after the epoch (Jug's marker),
and a line saying why (a FailureRecord) that Jug ignores.
A lock whose holder is gone is taken over here without anyone clearing it by
hand.  What "gone" means is :meth:`FileLock.is_dead`: for this class, a
process of this machine that has ended (see owner.py), or an empty lock
older than a minute (its writer was killed mid-create); subclasses add their
own evidence (a lapsed lease).

Extension points (documented in ``jug_file``'s docstring): :meth:`FileLock.new_text`,
:meth:`FileLock.is_dead`, :meth:`FileLock.acquired`.
"""
import os
import sys
import time

from jug_file import owner
from jugcore.api import DEAD, FAILED, LOCKED, FailureRecord, Lock, may_retry, replacing

FAILED_MTIME = 1
# A lock is written microseconds after it is created; an empty one this old
# was left by a killed worker (with room for clocks that disagree a little).
EMPTY_LOCK_GRACE = 60
_FAILURE_MARK = "jugcore-failure"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW


class FileLock(Lock):
    __slots__ = ("path", "_dir")

    def __init__(self, locks_dir, key):
        self._dir = locks_dir
        self.path = f"{locks_dir}{os.sep}{key.decode('ascii')}.lock"

    # --- what subclasses refine -----------------------------------------------------
    def new_text(self):
        """The content of a lock (or take-over guard) this process writes now."""
        return owner.lock_text()

    def is_dead(self, text, mtime):
        """True if the holder of a lock with this content and mtime is gone."""
        if not text:  # its writer was killed between creating the file and writing it
            return time.time() - mtime > EMPTY_LOCK_GRACE
        return owner.is_stale(text)

    def acquired(self, text):
        """Called once this object holds the lock, whose content is ``text``."""

    # --- taking and giving up -------------------------------------------------------
    def get(self):
        text = self.new_text()
        if self._create(self.path, text) or self._take_over_if_dead(text):
            self.acquired(text)
            return True
        return False

    def _create(self, path, text):
        try:
            fd = os.open(path, _CREATE, 0o666)  # the umask decides, as for results
        except FileExistsError:
            return False
        except FileNotFoundError:
            os.makedirs(self._dir, exist_ok=True)
            return self._create(path, text)
        try:
            os.write(fd, text)
        except BaseException:  # a full disk or quota: an empty lock would block the task a minute
            os.close(fd)
            _unlink(path)
            raise
        os.close(fd)
        return True

    def _take_over_if_dead(self, text):
        seen, mtime = read_with_mtime(self.path)
        if seen is None or mtime == FAILED_MTIME or not self.is_dead(seen, mtime):
            return False
        if not self._replace(seen, text):
            return False
        _log_take_over(self.path, seen)
        return True

    def take_failed(self, recorded_before):
        seen, mtime = read_with_mtime(self.path)
        if seen is None or mtime != FAILED_MTIME:
            return False
        if not may_retry(failure_in(seen), recorded_before):
            return False
        text = self.new_text()
        if self._replace(seen, text):
            self.acquired(text)
            return True
        return False

    def _replace(self, seen, text):
        """Replace the lock whose content we judged (``seen``) by ours (``text``).

        Of several workers that judged it, the one holding the break guard
        (O_EXCL) looks again and renames its own lock file over it: the lock
        path never goes missing in between, and nobody replaces a lock it has
        not re-checked under the guard.
        """
        guard = self.path + ".break"
        guard_text = self.new_text()
        if not self._create(guard, guard_text):
            found, mtime = read_with_mtime(guard)
            if found is not None and self.is_dead(found, mtime):
                _unlink(guard)  # its holder died mid take-over; the next attempt retries
            return False
        try:
            if read_with_mtime(self.path)[0] != seen:
                return False  # released or replaced meanwhile
            with replacing(self.path, sweep=False) as fresh:  # the store's cleanup sweeps the locks
                fresh.write(text)
            return True
        finally:
            if read_with_mtime(guard)[0] == guard_text.decode():  # one judged dead may be another's now
                _unlink(guard)

    def release(self):
        _unlink(self.path)

    # --- state ------------------------------------------------------------------------
    def is_locked(self):
        return os.path.exists(self.path)

    def state(self):
        """(LOCKED, FAILED or DEAD, content, mtime), or None if there is no lock."""
        text, mtime = read_with_mtime(self.path)
        if text is None:
            return None
        if mtime == FAILED_MTIME:
            return FAILED, text, mtime
        return (DEAD if self.is_dead(text, mtime) else LOCKED), text, mtime

    def fail(self, record=None):
        """Mark the lock failed if this process holds it; True if it is failed now.
        Another process's lock, or none, is left as it is (False)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW)  # never a planted symlink's target
        except OSError:
            return False
        try:
            # Judged and marked through one open file: a lock renamed over this
            # one meanwhile (taken over) is a different file, left alone.
            if os.fstat(fd).st_mtime == FAILED_MTIME:
                return True
            if not owner.is_mine(os.pread(fd, 1 << 16, 0).decode("utf-8", "replace")):
                return False
            if record is not None:  # appended: Jug reads only the first line, and the mtime
                os.write(fd, f"{_FAILURE_MARK} {record.to_json()}\n".encode())
            os.utime(fd, (FAILED_MTIME, FAILED_MTIME))
        except OSError:
            return False
        finally:
            os.close(fd)
        return True

    def failure(self):
        text, mtime = read_with_mtime(self.path)
        return failure_in(text) if mtime == FAILED_MTIME else None

    def is_failed(self):
        try:
            return os.stat(self.path).st_mtime == FAILED_MTIME
        except OSError:
            return False

    def owner_text(self):
        return read_with_mtime(self.path)[0]


def failure_in(text):
    for line in text.splitlines():
        if line.startswith(_FAILURE_MARK):
            return FailureRecord.from_json(line[len(_FAILURE_MARK):])
    return None


def _log_take_over(path, seen):
    """`--verbose debug` says which dead holder's lock was taken over."""
    logging = sys.modules.get("logging")  # imported only when something logs: else nobody listens
    if logging is not None:
        holder = seen.splitlines()[0] if seen else "an empty lock"
        logging.getLogger("jug.locks").debug("%s: its holder is gone (%s): taken over", path, holder)


def read_with_mtime(path):
    """(text, mtime) of the file at ``path``, both from one open file, or (None, None).

    Opening (rather than a bare stat) makes an NFS client revalidate the
    file's attributes (close-to-open consistency), so the mtime is the
    server's, not a cached one.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None, None
    try:
        mtime = os.fstat(fd).st_mtime
        return os.read(fd, 1 << 16).decode("utf-8", "replace"), mtime
    except OSError:
        return None, None
    finally:
        os.close(fd)


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
