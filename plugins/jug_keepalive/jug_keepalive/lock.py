"""A file lock that is a lease: its holder refreshes its mtime, and a lock not
refreshed for longer than its lease belongs to a dead or frozen worker.

The lock file is the file store's (Jug 2.7 reads it) plus one line:
``jugcore-lease token=<16 hex> lease=<seconds> since=<epoch seconds>``.
The token names one taking of the lock: the heartbeat refreshes, and
:meth:`KeepaliveLock.release` and :meth:`~KeepaliveLock.fail` act on, only a
lock that still holds this object's token, so a worker whose lease was taken
over while it was frozen leaves the new holder's lock alone.  (A lock whose
last beat is recent enough that nobody can have judged it dead is released
without reading it again: the usual case, and the cheap one.)
"""
import itertools
import os
import time

from jug_file import owner
from jug_file.lock import FileLock
from jug_keepalive.heartbeat import HEARTBEAT, still_ours
from jug_keepalive.lease import BEATS_PER_LEASE, JUG27_LEASE

_MARK = "jugcore-lease"
_NEVER_TAKEN, _LET_GO = None, b""
# A lock beaten less than this fraction of its lease ago cannot have been judged
# dead by anyone (the rest of the lease covers clock skew between hosts).
_SURELY_OURS = 0.5
_token_counter = itertools.count()
_process_nonce = os.urandom(4).hex()


def _new_nonce():
    global _process_nonce
    _process_nonce = os.urandom(4).hex()


if hasattr(os, "register_at_fork"):  # tokens stay unique in a forked child
    os.register_at_fork(after_in_child=_new_nonce)


class KeepaliveLock(FileLock):
    __slots__ = ("key", "_lease", "_marker", "_running")

    def __init__(self, locks_dir, key, lease, running):
        super().__init__(locks_dir, key)
        self.key = key
        self._lease = lease
        self._marker = _NEVER_TAKEN  # b"token=..." while this object holds the lock
        self._running = running  # keys whose lock this process took, shared with the store

    def new_text(self):
        return owner.lock_text() + (
            f"{_MARK} token={_process_nonce}{next(_token_counter) & 0xFFFFFFFF:08x} lease={self._lease:g} "
            f"since={time.time():.3f}\n"
        ).encode()

    def is_dead(self, text, mtime):
        # An empty lock's writer died between creating and writing it: judge it by our own lease.
        lease = lease_fields(text)[0] if text else self._lease
        return time.time() - mtime > lease or owner.is_stale(text)

    def get(self):
        if super().get():
            return True
        if self._marker is _NEVER_TAKEN:
            self._marker = _LET_GO  # someone else holds it: release() must not remove their lock
        return False

    def _acquired(self, text):
        self._marker = b"token=" + text.rsplit(b"token=", 1)[1][:16]
        self._running.add(self.key)
        HEARTBEAT.hold(self.path, self._marker, self._lease / BEATS_PER_LEASE)

    def _let_go(self):
        """Stop keeping the lock alive; True if it is still ours (or we never took it)."""
        if self._marker is _NEVER_TAKEN:
            return True  # not tried through this object: act on whatever is there (cleanup)
        if self._marker == _LET_GO:
            return False  # released, failed or lost already: whatever is there is someone else's
        marker, self._marker = self._marker, _LET_GO
        last_beat = HEARTBEAT.drop(self.path, marker)
        self._running.discard(self.key)
        if last_beat is not None and time.monotonic() - last_beat < self._lease * _SURELY_OURS:
            return True
        return still_ours(self.path, marker)

    def release(self):
        if self._let_go():
            super().release()

    def fail(self, record=None):
        if not self._let_go():
            return False  # taken over while we were frozen: the task is the new holder's now
        return super().fail(record)


def lease_fields(text):
    """(lease, since) recorded in a lock's ``text``: Jug 2.7's 30 minutes and None
    for a lock written without a lease (by Jug 2.7, or by the plain file store)."""
    start = text.find(_MARK)
    if start < 0:
        return JUG27_LEASE, None
    fields = dict(item.split("=", 1) for item in text[start:].split("\n", 1)[0].split()[1:] if "=" in item)
    try:
        return float(fields["lease"]), float(fields["since"])
    except (KeyError, ValueError):
        return JUG27_LEASE, None
