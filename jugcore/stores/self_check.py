"""What `jug test-jug` checks a store on, and the short check it runs where
pytest-jug's full contract suite is not installed.

A store plugin names the jugdirs to check in the hook
``jug_self_check_jugdirs`` as :class:`SelfCheckJugdir` records.
"""
import hashlib
import secrets
from typing import NamedTuple

from jugcore.stores.failure_record import FailureRecord

__all__ = ["SelfCheckJugdir", "fresh_jugdir", "remove_leftovers", "quick_contract", "QuickCheckFailed"]

UNIQUE = "{unique}"


class SelfCheckJugdir(NamedTuple):
    """A jugdir `jug test-jug` may fill and empty at will.

    ``jugdir``: a relative path lands in a fresh temporary folder (each check
    runs in its own); ``{unique}`` is replaced by a fresh token at each use (a
    prefix on a shared server), and what a check leaves there is removed with
    ``Store.cleanup`` afterwards.  ``unsupported``: the contract's parts the
    store lacks, as ``StoreContract.unsupported`` ({part: reason}).
    ``skipped``: why the store cannot be checked here (no server configured);
    ``jugdir`` then only names the scheme (``"redis:"``)."""

    jugdir: str
    unsupported: dict = {}
    skipped: str = ""


def fresh_jugdir(jugdir):
    """``jugdir`` with every ``{unique}`` replaced by a new random token."""
    return jugdir.replace(UNIQUE, secrets.token_hex(6))


def remove_leftovers(app, jugdir):
    """Remove every result and lock under ``jugdir`` (of a store that owns all its keys)."""
    store = app.open_store(jugdir)
    try:
        if store.owns_all_keys:
            store.cleanup(())
    finally:
        store.close()


class QuickCheckFailed(Exception):
    """A promise of the store contract that the store did not keep (the message says which)."""


def _key(i):
    return hashlib.sha1(f"self-check-{i}".encode()).hexdigest().encode("ascii")


def quick_contract(open_store, unsupported=()):
    """The contract's main promises, one pass: results, bulk queries, locks,
    failures, removal and (unless ``"persistence"`` is in ``unsupported``)
    results outliving ``close()``.  Returns how many promises were checked;
    raises :class:`QuickCheckFailed` at the first one broken."""
    store = open_store()
    checked = [0]

    def expect(condition, promise):
        if not condition:
            raise QuickCheckFailed(promise)
        checked[0] += 1

    try:
        _results(store, expect)
        _locks(store, expect)
        store.dump(_key(3), [3])
    finally:
        store.close()
    if "persistence" not in unsupported:
        store = open_store()
        try:
            expect(store.load(_key(3)) == [3], "a result is still there after close() and a new open")
        finally:
            store.close()
    return checked[0]


def _results(store, expect):
    first, second = _key(1), _key(2)
    value = {"numbers": [1, 2.5, None], "text": "\u2603", "bytes": b"\x00\xff"}
    expect(not store.can_load(first), "a new key has no result")
    store.dump(first, value)
    expect(store.can_load(first), "can_load() sees a stored result")
    expect(store.load(first) == value, "a stored result loads back equal")
    expect(store.can_load_many([first, second]) == {first}, "can_load_many() finds exactly the stored results")
    expect(first in set(store.list()), "list() names a stored result")
    expect(store.remove(first) and not store.can_load(first), "remove() deletes a result")
    try:
        store.load(first)
        raised = False
    except KeyError:
        raised = True
    expect(raised, "load() of a missing result raises KeyError")


def _locks(store, expect):
    lock = store.getlock(_key(2))
    expect(not lock.is_locked(), "a new key's lock is free")
    expect(lock.get(), "get() takes a free lock")
    expect(lock.is_locked() and _key(2) in set(store.listlocks()), "a taken lock is locked and listed")
    expect(lock.fail(FailureRecord.from_exception(RuntimeError("self-check"))), "fail() marks a held lock")
    expect(lock.is_failed(), "a failed lock reports it")
    lock.release()
    expect(not lock.is_locked(), "release() frees a failed lock")
