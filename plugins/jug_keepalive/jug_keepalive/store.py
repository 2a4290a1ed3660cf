"""The keepalive store: the file store (same jugdir, Jug 2.7's layout) whose
locks are leases (lock.py) and whose results, once a worker has locked the
task, are committed without replacing one that is already there.

Commit: the result is written whole to ``tempfiles`` and flushed, as the
file store does, then *linked* (``link(2)``) to its final name rather than
renamed over it.  link fails if the name exists, atomically on a local
filesystem and on the NFS server alike, so a worker whose lease lapsed and
who finishes late never replaces the result the worker that took over has
committed (both are the same task's result; the first stays).  A lost NFS
reply to a link that did succeed shows as the temp file having two links.

A worker that finishes a task whose lock another worker took over (ours
lapsed) stores nothing and says so (LeaseLost); so does one whose lock is
gone while a result is there (the new holder finished).  A lock gone without
a result (removed by `jug cleanup --locks-only`) still commits.
"""
import os

from jug_file import FileStore
from jug_keepalive.lease import DEFAULT_LEASE
from jug_keepalive.lock import KeepaliveLock, lease_fields
from jugcore.api import FAILED, LeaseLost, LockInfo

__all__ = ["KeepaliveStore"]


class KeepaliveStore(FileStore):
    def __init__(self, path, lease=DEFAULT_LEASE, fsync=True):
        super().__init__(path, fsync=fsync)
        self.lease = lease
        self._running = set()  # keys whose lock this process took and has not let go

    def __repr__(self):
        return f"KeepaliveStore({self.path!r}, lease={self.lease:g})"

    def getlock(self, key):
        return KeepaliveLock(self.locks_dir, key, self.lease, self._running)

    def dump(self, key, value):
        if key in self._running:  # a task this process runs: is it still ours?
            holder = self.getlock(key).holder_instead_of_us()
            if holder is not None and (holder or self.can_load(key)):
                raise LeaseLost(key, holder)
        return super().dump(key, value)  # False if another worker committed first (commit_result)

    def commit_result(self, key, temp, final):
        if key not in self._running:  # not a task run: a plain store write, replacing
            return super().commit_result(key, temp, final)
        try:
            os.link(temp, final)
        except FileExistsError:
            return False  # committed by the worker that took our lease over: theirs stays
        except OSError:
            if os.stat(temp).st_nlink < 2:
                raise
        finally:
            os.unlink(temp)
        return True

    def describe_lock(self, state, text, mtime):
        info = super().describe_lock(state, text, mtime)
        if state == FAILED:
            return info
        since = lease_fields(text)[1]
        return LockInfo(state, info.owner, mtime if since is None else since, heartbeat=mtime)
