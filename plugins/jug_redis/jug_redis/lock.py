"""A task's lock in Redis: a lease taken, renewed and committed through Claims."""
from jugcore.api import FailureRecord, Lock, lease_clock, may_retry

from jug_redis.lua import SCRIPTS

__all__ = ["RedisLock"]


class RedisLock(Lock):
    __slots__ = ("store", "key")

    def __init__(self, store, key):
        self.store = store
        self.key = key

    def get(self):
        return self.store.claims.get(self.key)

    def release(self):
        self.store.claims.release(self.key)

    def is_locked(self):
        claims = self.store.claims
        if claims.seen(self.key) is not None or claims.holds(self.key):
            return True  # we hold it, or get() just found it held
        return self._value() is not None

    def is_failed(self):
        seen = self.store.claims.seen(self.key)
        if seen is not None:
            return seen == "f"
        return self._value() == b"F"

    def fail(self, record=None):
        store, claims = self.store, self.store.claims
        text = record.to_json() if record is not None else ""
        claims.changed(self.key)
        with claims.mutex:
            claims.let_go(self.key)
            return bool(store.connection.run(SCRIPTS.fail, store.prefix, claims.owner.token, self.key, text))

    def failure(self):
        if not self.is_failed():
            return None
        text = self._get("failure")
        return FailureRecord.from_json(text) if text else None

    def take_failed(self, recorded_before):
        store, claims = self.store, self.store.claims
        if claims.holds(self.key) or claims.seen(self.key) not in (None, "f"):
            return False
        seen = self._get("failure") or b""
        if not may_retry(FailureRecord.from_json(seen) if seen else None, recorded_before):
            return False  # failed during this run, kept, or failed by Jug 2.7
        with claims.mutex:
            owner = claims.owner.current()
            sent = lease_clock()
            taken = store.connection.run(SCRIPTS.take_failed, store.prefix, owner.token,
                                         owner.lease_text(claims.lease_ms), claims.lease_ms, self.key, seen)
            if taken:
                claims.changed(self.key)
                claims.hold(self.key, sent)
        return bool(taken)

    def _value(self):
        return self._get("lock")

    def _get(self, kind):
        name = b"%s%s:%s" % (self.store.prefix, kind.encode(), self.key)
        return self.store.connection.run(lambda client: client.get(name))
