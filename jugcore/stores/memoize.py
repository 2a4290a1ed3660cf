"""A read-only view of a store that asks it each question once: whether a key
has a result, whether its lock is held or failed (Jug 2's ``memoize_store``,
for code that asks about the same tasks many times).  Everything that would
change the store raises NotImplementedError."""
from jugcore.stores.contract import Lock, Store

__all__ = ["MemoizingStore", "MemoizingLock"]


class MemoizingStore(Store):
    """``MemoizingStore(base, list_base=False)``: with ``list_base``, ``base``'s
    keys and locks are listed once, now, and every answer comes from those lists."""

    def __init__(self, base, list_base=False):
        self.base = base
        self._can_load = {}
        self.keys = set(base.list()) if list_base else None
        self.locks = set(base.listlocks()) if list_base else None

    def can_load(self, key):
        if self.keys is not None:
            return key in self.keys
        if key not in self._can_load:
            self._can_load[key] = self.base.can_load(key)
        return self._can_load[key]

    def getlock(self, key):
        return MemoizingLock(self.base.getlock(key), None if self.locks is None else key in self.locks)

    def close(self):
        pass

    def _read_only(self, *args, **kwargs):
        raise NotImplementedError("a memoizing store only answers can_load and lock states")

    dump = load = remove = list = listlocks = cleanup = remove_locks = _read_only


class MemoizingLock(Lock):
    """The lock of one key: ``is_locked`` and ``is_failed`` ask the real lock once."""

    def __init__(self, base, locked=None):
        self.base = base
        self._locked = locked  # None: not asked yet
        self._failed = None

    def is_locked(self):
        if self._locked is None:
            self._locked = self.base.is_locked()
        return self._locked

    def is_failed(self):
        if self._failed is None:
            self._failed = self.is_locked() and self.base.is_failed()
        return self._failed

    def _read_only(self, *args, **kwargs):
        raise NotImplementedError("a memoizing store's locks only answer is_locked and is_failed")

    get = release = fail = _read_only
