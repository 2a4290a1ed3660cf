"""One daemon thread per process that keeps the locks this process holds alive.

Every ``interval`` seconds (a third of the shortest lease held) it refreshes
the mtime of each held lock, but only after reading the lock through an open
file and finding this holder's token in it, and it touches that same open
file (``futimes``): a lock another worker has taken over is a different file,
never refreshed by us.  A lock found gone or taken over is forgotten.  The
thread ends when it wakes up to find no lock held (it is started again by the
next lock), at interpreter exit, and does not exist in a forked child.
"""
import atexit
import os
import threading

from jugcore.api import lease_clock

__all__ = ["HEARTBEAT", "Heartbeat", "refresh", "still_ours"]


class Heartbeat:
    def __init__(self):
        self.reset()

    def reset(self):
        """Forget every lock and any thread, without touching them (in a forked child,
        where neither exists; and in tests, to start from nothing)."""
        self._wake = threading.Condition()
        self._held = {}  # lock path -> [token marker bytes, interval s, lease_clock() of the last beat]
        self._period = None  # the interval the thread is sleeping for
        self._thread = None
        self._stopping = False

    def hold(self, path, marker, interval):
        """Keep the lock at ``path`` alive while its content contains ``marker``."""
        with self._wake:
            self._held[path] = [marker, interval, lease_clock()]  # taking it set its mtime
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="jug-keepalive-heartbeat", daemon=True)
                self._thread.start()
            elif self._period is not None and interval < self._period:
                self._wake.notify()  # sleeping for longer than this lease allows

    def drop(self, path, marker):
        """Stop refreshing ``path`` held under ``marker``; once this returns, the thread
        will not touch it again.  Returns the ``lease_clock()`` of its last beat, or
        None if it was lost (found taken over, or held anew under another marker)."""
        with self._wake:
            last = self.last_beat(path, marker)
            if last is not None:
                del self._held[path]
        return last

    def last_beat(self, path, marker):
        """The ``lease_clock()`` of the last beat of ``path`` held under ``marker``, or
        None if it is not held so (never, let go, or found taken over)."""
        with self._wake:
            held = self._held.get(path)
            return None if held is None or held[0] != marker else held[2]

    def holds(self, path):
        with self._wake:
            return path in self._held

    @property
    def running(self):
        with self._wake:
            return self._thread is not None

    def stop(self):
        """End the thread now (at exit); locks still held are no longer refreshed."""
        if not self._wake.acquire(timeout=1):
            return  # the thread is stuck in a filesystem call: the process's exit ends it
        try:
            thread, self._stopping = self._thread, True
            self._wake.notify()
        finally:
            self._wake.release()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=1)

    def _run(self):
        with self._wake:
            try:
                while self._held and not self._stopping:
                    self._period = min(interval for _, interval, _ in self._held.values())
                    self._wake.wait(self._period)
                    if self._stopping:
                        break
                    for path, held in list(self._held.items()):
                        refreshed = refresh(path, held[0])
                        if refreshed:
                            held[2] = lease_clock()
                        elif refreshed is False:
                            del self._held[path]
            finally:
                if self._thread is threading.current_thread():  # (not a thread forgotten by reset())
                    self._thread = self._period = None


def refresh(path, marker):
    """Set the mtime of the lock at ``path`` to now if it still contains ``marker``.

    True if refreshed, False if the lock is gone or is someone else's, None
    if the filesystem failed (an NFS hiccup: try again at the next beat).
    """
    return _if_ours(path, marker, os.utime)


def still_ours(path, marker):
    """True if the lock at ``path`` contains ``marker`` (read through a fresh open:
    on NFS that revalidates the name, so a lock renamed over ours is seen)."""
    return bool(_if_ours(path, marker, lambda fd: None))


def _if_ours(path, marker, action):
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        if marker not in os.read(fd, 1 << 16):
            return False
        action(fd)
        return True
    except FileNotFoundError:
        return False
    except OSError:
        return None
    finally:
        os.close(fd)


HEARTBEAT = Heartbeat()
atexit.register(HEARTBEAT.stop)
if hasattr(os, "register_at_fork"):  # the thread does not exist in a child, nor do its locks
    os.register_at_fork(after_in_child=HEARTBEAT.reset)
