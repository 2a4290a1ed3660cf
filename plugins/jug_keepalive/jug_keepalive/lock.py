"""A file lock that is a lease: its holder refreshes its mtime, and a lock not
refreshed for longer than its lease belongs to a dead or frozen worker.

The lock file is the file store's (Jug 2.7 reads it) plus one line:
``jugcore-lease token=<16 hex> lease=<seconds> since=<epoch seconds>``.
The token names the holding process (random, new in a forked child): the
heartbeat refreshes, and :meth:`KeepaliveLock.release` and
:meth:`~KeepaliveLock.fail` act on, only a lock that holds this process's
token, so a worker whose lease was taken over while it was frozen leaves the
new holder's lock alone.  (A lock whose last beat is recent enough that nobody
can have judged it dead is released without reading it again: the usual case,
and the cheap one.)
"""
import os
import time

from jug_file import FileLock, lock_holder, read_with_mtime
from jug_keepalive.heartbeat import HEARTBEAT, still_ours
from jug_keepalive.lease import BEATS_PER_LEASE, JUG27_LEASE
from jugcore.api import lease_clock

_MARK = "jugcore-lease"
# A lock beaten less than this fraction of its lease ago cannot have been judged
# dead by anyone (the rest of the lease covers clock skew between hosts).
_SURELY_OURS = 0.5


def _new_token():
    global _TOKEN, _MARKER
    _TOKEN = os.urandom(8).hex()
    _MARKER = f"token={_TOKEN}".encode()


_new_token()
if hasattr(os, "register_at_fork"):  # a forked child is another holder
    os.register_at_fork(after_in_child=_new_token)


class KeepaliveLock(FileLock):
    __slots__ = ("key", "_lease", "_tried", "_running")

    def __init__(self, locks_dir, key, lease, running):
        super().__init__(locks_dir, key)
        self.key = key
        self._lease = lease
        self._tried = False  # get() called: from then on, act only on this process's lock
        self._running = running  # keys whose lock this process took, shared with the store

    def new_text(self):
        return super().new_text() + (
            f"{_MARK} token={_TOKEN} lease={self._lease:g} since={time.time():.3f}\n").encode()

    def is_dead(self, text, mtime):
        # An empty lock's writer died between creating and writing it: judge it by our own lease.
        lease = lease_fields(text)[0] if text else self._lease
        return time.time() - mtime > lease or (bool(text) and super().is_dead(text, mtime))

    def get(self):
        self._tried = True
        return super().get()

    def acquired(self, text):
        self._tried = True
        self._running.add(self.key)
        HEARTBEAT.hold(self.path, _MARKER, self._lease / BEATS_PER_LEASE)

    def _still_ours(self):
        """Stop keeping the lock alive; True if it is still this process's (or this
        object never tried to take it: then whatever is there is acted on, as cleanup does)."""
        if not self._tried:
            return True
        last_beat = HEARTBEAT.drop(self.path, _MARKER)
        self._running.discard(self.key)
        if last_beat is not None and lease_clock() - last_beat < self._lease * _SURELY_OURS:
            return True
        return still_ours(self.path, _MARKER)

    def holder_instead_of_us(self):
        """Who holds this lock, which this process took to run the task, if we no
        longer do: ``HOST:PID``, or "" if there is no lock (its new holder let go,
        or a cleanup removed it); None while it is still ours.  Keeps it alive."""
        last_beat = HEARTBEAT.last_beat(self.path, _MARKER)
        if last_beat is not None and lease_clock() - last_beat < self._lease * _SURELY_OURS:
            return None
        text = read_with_mtime(self.path)[0]
        if text is None:
            return ""
        return None if _MARKER.decode() in text else lock_holder(text)

    def release(self):
        if self._still_ours():
            super().release()

    def fail(self, record=None):
        if not self._still_ours():
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
