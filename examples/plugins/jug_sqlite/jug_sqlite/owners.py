"""Who holds a lock, and whether that process is still alive.

A lock row records the process that took it as ``jugcore.api.this_owner()``
(host, pid, start time, pid namespace, as one line of text), and
``jugcore.api.owner_alive`` tells whether it still runs: a killed worker's
locks are dead, and the next worker takes them over.  The start time tells a
reused pid apart.  Owners on other hosts are presumed alive (the database is
meant for one machine).
"""
from jugcore.api import Owner, owner_alive, this_owner

__all__ = ["me", "is_dead", "describe"]


def me():
    """This process, as a lock row records it (a forked child is another owner)."""
    return this_owner().to_text()


def is_dead(owner):
    """True if the process a lock row names has ended."""
    found = Owner.from_text(owner)
    return found is not None and owner_alive(*found) is False


def describe(owner):
    """'host pid N' for people."""
    found = Owner.from_text(owner)
    return found.describe() if found else owner
