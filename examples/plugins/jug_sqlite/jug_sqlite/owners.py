"""Who holds a lock, and whether that process is still alive.

Every process that takes locks holds an exclusive ``flock`` on a file of its
own, ``<database>-owners/<owner id>``, for as long as it lives; the kernel
drops it when the process ends, however it ends.  A process that can take
that flock knows the owner is gone: its held locks are dead and the next
worker takes them over.  No pids are compared, so a reused pid never looks
alive.  Owners on other hosts are presumed alive (the database is meant for
one machine).
"""
import fcntl
import os

from jugcore.api import HOSTNAME as _HOST

__all__ = ["Owners", "describe"]



def describe(owner):
    """'host pid N' for people, from an owner id."""
    pid, _, host = owner.partition("@")
    return f"{host.partition('#')[0]} pid {pid}"


class Owners:
    """The owner files next to one database, and this process's own."""

    def __init__(self, folder):
        self.folder = folder
        self._mine = None  # (owner id, fd, pid): a forked child gets an id of its own

    def me(self):
        """This process's owner id, its file created and flocked on first use."""
        if self._mine is None or self._mine[2] != os.getpid():
            owner = f"{os.getpid()}@{_HOST}#{os.urandom(6).hex()}"
            os.makedirs(self.folder, exist_ok=True)
            fd = os.open(self._path(owner), os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
            fcntl.flock(fd, fcntl.LOCK_EX)  # a fresh name: nobody else holds it
            self._mine = (owner, fd, os.getpid())
        return self._mine[0]

    def current(self):
        """This process's owner id if it took a lock, else None."""
        return self._mine[0] if self._mine is not None and self._mine[2] == os.getpid() else None

    def is_dead(self, owner):
        """True if ``owner`` is a process of this host that has ended."""
        if self._mine is not None and owner == self._mine[0]:
            return False
        if owner.partition("@")[2].partition("#")[0] != _HOST:
            return False
        try:
            fd = os.open(self._path(owner), os.O_RDWR)
        except FileNotFoundError:
            return True  # its file was removed by whoever found it dead first
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        else:
            os.unlink(self._path(owner))
            return True
        finally:
            os.close(fd)

    def close(self, holding):
        """Let go of this process's file, unless it still ``holding`` locks (they stay live)."""
        if self.current() is None or holding:
            return
        owner, fd, _ = self._mine
        os.unlink(self._path(owner))
        os.close(fd)
        self._mine = None

    def _path(self, owner):
        return os.path.join(self.folder, owner)
