"""Who holds a lock, and whether that process still exists.

A lock records its holder (``jugcore.api.this_owner()``: host, pid, start
time, pid namespace) on a line Jug 2.7 ignores.  A lock whose holder
``jugcore.api.owner_alive`` finds ended is stale; anything else (another
host's lock, Jug 2.7's, which records no start time) is presumed alive: not
ours to judge.
"""
import time
from datetime import datetime

from jugcore.api import Owner, owner_alive, this_owner

__all__ = ["lock_text", "is_stale", "is_mine", "lock_holder", "describe"]

_MARK = "jugcore-owner"

_cached = (None, None, b"")  # (second, owner, text): the text changes once a second, and in a forked child


def lock_text():
    """The lock file's content for this process."""
    global _cached
    second, owner = int(time.time()), this_owner()
    if _cached[:2] != (second, owner):
        created = datetime.fromtimestamp(second).strftime("Lock created on %Y-%m-%d (%Hh%M.%S)")
        text = f"PID {owner.pid} on HOSTNAME {owner.host}\n{created}\n{_MARK} {owner.to_text()}\n"
        _cached = (second, owner, text.encode())
    return _cached[2]


def owner_in(text):
    """The Owner a lock's ``text`` records, or None (Jug 2.7's, an empty lock)."""
    for line in (text or "").splitlines():
        if line.startswith(_MARK):
            return Owner.from_text(line[len(_MARK):])
    return None


def is_stale(text):
    """True if the lock ``text`` was written by a process that has ended."""
    owner = owner_in(text)
    return owner is not None and owner_alive(*owner) is False


def is_mine(text):
    """True if the lock ``text`` was written by this process."""
    owner, me = owner_in(text), this_owner()
    return owner is not None and (owner.host, owner.pid, owner.pidns) == (me.host, me.pid, me.pidns)


def lock_holder(text):
    """'HOST:PID' of the lock ``text``'s writer, for messages; "" if it does not say."""
    owner = owner_in(text)
    return f"{owner.host}:{owner.pid}" if owner else ""


def describe(text):
    """'host pid N' for status displays."""
    owner = owner_in(text)
    if owner:
        return owner.describe()
    first = (text or "").splitlines()[:1]
    return first[0] if first else "unknown owner"
