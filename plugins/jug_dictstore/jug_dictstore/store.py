"""The dict store, in Jug 2.7's format: ``b'result:<key>'`` -> pickled value,
``b'lock:<key>'`` -> 0 free / 1 held / 2 failed; ours also keeps
``b'failure:<key>'`` -> a FailureRecord as JSON and ``b'record:<key>'`` -> the
result's RunRecord as JSON, which Jug never reads.

``dict_store:PATH`` loads PATH when opened and writes it back (atomically)
when closed, so results survive `jug execute` (Jug 2.7 never writes it).  One
process at a time: the file is locked while open.
"""
import errno
import fcntl
import os
import pickle

from jugcore.api import FAILED, LOCKED, FailureRecord, JugError, Lock, RunRecord, Store, may_retry, replacing

__all__ = ["DictStore"]

_FREE, _HELD, _FAILED = 0, 1, 2


class DictStore(Store):
    def __init__(self, path=None):
        self.path = path
        self.data = {}
        self.dirty = False  # written back on close only if something changed
        self._guard = None
        if path:
            self._guard = _exclusive_guard(path)
            try:
                self.data = _read_dict(path)
            except BaseException:
                os.close(self._guard)
                raise

    def __repr__(self):
        return f"DictStore({self.path!r})"

    def dump(self, key, value):
        self.data[b"result:" + key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.dirty = True

    def dump_recorded(self, key, value, record):
        self.dump(key, value)
        self.data[b"record:" + key] = record.to_json()

    def records_many(self, keys):
        data = self.data
        texts = ((k, data.get(b"record:" + k)) for k in keys)
        records = {k: RunRecord.from_json(text) for k, text in texts if text is not None}
        return {k: r for k, r in records.items() if r is not None}

    def load(self, key):
        try:
            data = self.data[b"result:" + key]
        except KeyError:
            raise KeyError(key) from None  # the caller's key, not our internal name for it
        return pickle.loads(data)

    def can_load(self, key):
        return b"result:" + key in self.data

    def can_load_many(self, keys):
        data = self.data
        return {k for k in keys if b"result:" + k in data}

    def remove(self, key):
        removed = self.data.pop(b"result:" + key, None) is not None
        self.data.pop(b"record:" + key, None)
        self.dirty = self.dirty or removed
        return removed

    def list(self):
        return [k[7:] for k in self.data if k.startswith(b"result:")]

    def listlocks(self):
        return [k[5:] for k, v in self.data.items() if k.startswith(b"lock:") and v != _FREE]

    def getlock(self, key):
        return DictLock(self, b"lock:" + key)

    def lock_state_many(self, keys):
        data = self.data
        states = {}
        for k in keys:
            v = data.get(b"lock:" + k, _FREE)
            if v != _FREE:
                states[k] = FAILED if v == _FAILED else LOCKED
        return states

    def close(self):
        if self._guard is None:
            return
        if self.dirty:
            with replacing(self.path, sync=True) as f:
                pickle.dump(self.data, f, protocol=pickle.HIGHEST_PROTOCOL)
            self.dirty = False
        os.close(self._guard)
        self._guard = None


class DictLock(Lock):
    __slots__ = ("store", "data", "name")

    def __init__(self, store, name):
        self.store = store
        self.data = store.data
        self.name = name

    def get(self):
        if self.data.get(self.name, _FREE) != _FREE:
            return False
        self.data[self.name] = _HELD
        self.store.dirty = True
        return True

    def release(self):
        state = self.data.pop(self.name, None)
        if state is not None:
            if state == _FAILED:
                self.data.pop(self.failure_name, None)
            self.store.dirty = True

    def is_locked(self):
        return self.data.get(self.name, _FREE) != _FREE

    def fail(self, record=None):
        if self.data.get(self.name) == _HELD:
            self.data[self.name] = _FAILED
            if record is not None:
                self.data[self.failure_name] = record.to_json().encode()
            self.store.dirty = True
        return self.data.get(self.name) == _FAILED

    def is_failed(self):
        return self.data.get(self.name) == _FAILED

    def failure(self):
        text = self.data.get(self.failure_name) if self.is_failed() else None
        return FailureRecord.from_json(text) if text is not None else None

    def take_failed(self, recorded_before):
        if not self.is_failed() or not may_retry(self.failure(), recorded_before):
            return False
        self.data.pop(self.failure_name, None)
        self.data[self.name] = _HELD
        self.store.dirty = True
        return True

    @property
    def failure_name(self):
        return b"failure:" + self.name[5:]


def _exclusive_guard(path):
    """The open ``PATH.lock``, flocked.  It is only ever flocked, never written: opened
    read-only and without following a symlink, whatever was planted there is safe."""
    guard_path = f"{path}.lock"
    try:
        guard = os.open(guard_path, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as e:
        raise JugError(f"dict_store:{path} cannot be locked: {guard_path}: {os.strerror(e.errno)}"
                       + ("; it is a symbolic link, remove it" if e.errno == errno.ELOOP else "")) from None
    try:
        fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(guard)
        raise JugError(
            f"dict_store:{path} is in use by another jug process; a dict store serves one "
            "process at a time (use a file jugdir for several workers)"
        ) from None
    return guard


def _read_dict(path):
    try:
        with open(path, "rb") as f:
            data = pickle.load(f)
    except FileNotFoundError:
        return {}
    except Exception as e:
        raise JugError(
            f"dict_store:{path} cannot be read ({type(e).__name__}: {e}); "
            "move the file away to start afresh"
        ) from None
    if not isinstance(data, dict):
        raise JugError(f"dict_store:{path} does not hold a dict (found {type(data).__name__})")
    return data
