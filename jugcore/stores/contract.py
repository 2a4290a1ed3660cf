"""The store contract, and choosing a store from a jugdir string.

A store maps task keys (40 hex digits, as bytes) to results, and keeps one
lock per key through which workers agree on who runs a task.  Backends are
declared by plugins (``jug_store_backends``); the core picks one by the
jugdir's scheme and writes every error about that choice.
"""
import re
from abc import ABC, abstractmethod
from typing import Callable, Iterable, NamedTuple, Optional

from jugcore.errors import JugError
from jugcore.plugins import call_each
from jugcore.redact import redact

__all__ = ["Store", "Lock", "LockInfo", "StoreBackend", "JugdirURL", "parse_jugdir", "open_store",
           "LOCKED", "FAILED", "DEAD"]

LOCKED = "locked"
FAILED = "failed"
DEAD = "dead"  # held by a worker that is gone (a lapsed lease): the next worker takes it over

# Hints only: which distribution provides a scheme nobody installed.
_KNOWN_PROVIDERS = {
    "file": "jug-file",
    "dict_store": "jug-dictstore",
    "redis": "jug-redis",
    "rediss": "jug-redis",
    "unix": "jug-redis",
    "file_keepalive": "jug-keepalive",
}


class Lock(ABC):
    """One task's lock: taken by exactly one worker at a time.

    Its holder is the process whose :meth:`get` (or :meth:`take_failed`) took
    it, through any Lock object of the store (a store may instead count the
    store object that took it); a forked child holds none of its parent's
    locks.  Objects are cheap: making one does no I/O.
    """

    @abstractmethod
    def get(self) -> bool:
        """Take the lock; True if this call took it, False if someone holds it.
        A lock whose holder is dead is taken over here."""

    @abstractmethod
    def release(self) -> None:
        """Give up a lock this process holds, and clear a failed lock whoever
        failed it; no error if there is no lock.  A holder whose lease was taken
        over leaves the new holder's lock.  A lock another live process holds
        may be removed (the file store, as Jug 2.7) or left (Redis): the
        defaults of :meth:`Store.remove_locks` and :meth:`Store.cleanup` rely
        on the first, so a store doing the second overrides them."""

    @abstractmethod
    def is_locked(self) -> bool:
        """True if there is a lock: held, failed, or left by a dead holder (until
        it is taken over or removed).  Owners are not judged here."""

    @abstractmethod
    def fail(self, record=None) -> bool:
        """Mark the lock failed if this process holds it; True if it is failed
        afterwards.  ``record`` (a :class:`jugcore.api.FailureRecord`) says why;
        keep it where :meth:`failure` finds it, out of Jug 2.7's way.  Without
        the lock nothing changes and the answer is False: a free lock stays
        free, another process's stays held.  A failed lock stays as it is
        (its first record kept) and the answer is True."""

    @abstractmethod
    def is_failed(self) -> bool:
        """True if the task was marked failed."""

    def failure(self):
        """The FailureRecord kept by :meth:`fail`, or None (not failed, or no record)."""
        return None

    def take_failed(self, recorded_before: float) -> bool:
        """Take a failed lock for a retry, in one atomic step.

        Only if the lock is failed and ``jugcore.stores.failure_record.may_retry(record,
        recorded_before)`` holds: `jug execute` retries failures of earlier runs,
        but not those of workers running now, nor failures kept by
        ``--keep-failed`` (or by Jug 2.7, which leaves no record).  True if this
        call took the lock.  The default never retries: a store that cannot do
        this atomically must not pretend.
        """
        return False


class Store(ABC):
    """Results by key, plus locks.  Bulk methods have per-key defaults; override
    them when the backend can answer in one listing or one round trip.  The
    scheduler calls :meth:`prepare_locks` before each lock it takes: a store
    with costly round trips may take several locks at once there.

    Lifecycle: a process may open the same jugdir more than once; each store
    is independent and sees the other's results and locks as another
    process's (closing one lets go of nothing the other holds), unless the
    backend is ``shared_between_processes=False``, which may refuse the second
    open.  A forked child does not use its parent's store: it opens its own.
    After :meth:`close` nothing is called on the store."""

    @abstractmethod
    def dump(self, key: bytes, value) -> None:
        """Store ``value`` under ``key`` atomically: readers see all of it or nothing.

        A store whose locks are leases refuses the result of a task whose lock
        this process took but lost: if the lease lapsed and another worker took
        the task over, store nothing and raise :class:`jugcore.errors.LeaseLost`
        (the scheduler counts the task apart, not as executed).  A lease that
        lapsed without anyone taking the task over still commits."""

    def dump_recorded(self, key: bytes, value, record) -> None:
        """:meth:`dump`, and keep ``record`` (a :class:`jugcore.api.RunRecord`:
        who made the result, when, how long, with which code) with it, out of
        Jug 2.7's way; :meth:`records_many` finds it, removing the result
        removes it.  Write both in one step where the backend allows (one
        round trip, one transaction); a record is advisory, so a store may
        lose one, never a result.  The default keeps no record."""
        self.dump(key, value)

    def records_many(self, keys) -> dict:
        """{key: RunRecord} for those of ``keys`` (a list) whose current result
        has a record.  Default: {} (this store keeps none)."""
        return {}

    @abstractmethod
    def load(self, key: bytes):
        """The value under ``key``; raises KeyError if there is none."""

    @abstractmethod
    def can_load(self, key: bytes) -> bool:
        """True if a result exists under ``key``."""

    @abstractmethod
    def remove(self, key: bytes) -> bool:
        """Delete the result (and its run record); True if there was one."""

    @abstractmethod
    def list(self) -> Iterable[bytes]:
        """Every key with a result."""

    @abstractmethod
    def listlocks(self) -> Iterable[bytes]:
        """Every key with a lock (held or failed)."""

    @abstractmethod
    def getlock(self, key: bytes) -> Lock:
        """The lock of ``key`` (not taken)."""

    def prepare_locks(self, upcoming) -> None:
        """Hint from the scheduler, before it takes the lock of ``upcoming[0]``:
        ``upcoming`` is its queue of ready keys (a deque, in the order it will
        try them; read it, do not change it).  A store whose every lock costs a
        round trip may take several of these locks now, in one round trip, and
        answer their ``get()`` (and ``can_load``) from what it found; locks taken
        ahead and never asked for are released by ``close()``.  Default: nothing."""

    def can_load_many(self, keys) -> set:
        """The subset of ``keys`` (any iterable; read it once, to the end) that
        have results.  The core passes the keys in the jugfile's order, so a
        store may remember an answer for the same sequence; `jug status` and
        `jug check` pass a generator that hashes each key as it is taken, so a
        store with a server may ask about the first keys before the last exist."""
        return {k for k in keys if self.can_load(k)}

    def lock_state_many(self, keys) -> dict:
        """{key: LOCKED or FAILED} for those of ``keys`` that are locked."""
        states = {}
        for k in keys:
            lock = self.getlock(k)
            if lock.is_locked():
                states[k] = FAILED if lock.is_failed() else LOCKED
        return states

    def lock_info_many(self, keys) -> dict:
        """{key: LockInfo} for those of ``keys`` that are locked; stores that know
        owners, ages or lapsed leases say so (for `jug status`)."""
        return {k: LockInfo(state) for k, state in self.lock_state_many(keys).items()}

    def failures_many(self, keys) -> dict:
        """{key: FailureRecord or None} for those of ``keys`` whose lock is failed."""
        failures = {}
        for key, state in self.lock_state_many(keys).items():
            if state == FAILED:
                failures[key] = self.getlock(key).failure()
        return failures

    def remove_failed_locks(self, keys=None) -> list:
        """Release failed locks (of ``keys``, or all), whoever failed them; the keys released."""
        candidates = list(self.listlocks()) if keys is None else list(keys)
        released = []
        for key in candidates:
            lock = self.getlock(key)
            if lock.is_failed():
                lock.release()
                released.append(key)
        return released

    def remove_many(self, keys) -> int:
        """Delete the results (and run records) of ``keys``; the number that existed."""
        return sum(1 for key in keys if self.remove(key))

    # False: list() may show keys of other projects sharing the same backend
    # (a Redis database without a prefix); cleanup must then be told explicitly.
    owns_all_keys = True

    def cleanup(self, active, keep_locks=False) -> int:
        """Remove results (and, unless ``keep_locks``, locks, held by anyone) whose
        key is not in ``active``; the number removed.  The default releases
        locks through :meth:`Lock.release`: override it if that spares other
        processes' locks."""
        active = set(active)
        removed = self.remove_many([key for key in self.list() if key not in active])
        if not keep_locks:
            for key in list(self.listlocks()):
                if key not in active:
                    self.getlock(key).release()
                    removed += 1
        return removed

    def remove_locks(self, keys=None) -> int:
        """Release the locks, held (by anyone) or failed, of ``keys`` (any
        iterable; read it once), or every lock; the number released.  `jug
        cleanup --locks-only` passes the jugfile's keys when the store does not
        own all its keys.  The default goes through :meth:`Lock.release`:
        override it if that spares other processes' locks."""
        locked = self.listlocks()
        keys = list(locked) if keys is None else list(set(locked).intersection(keys))
        for key in keys:
            self.getlock(key).release()
        return len(keys)

    def remove_dead_temp_files(self) -> int:
        """Remove partial files left by writers that died mid-write (`jug cleanup`);
        how many.  Never a live writer's."""
        return 0

    def metadata(self, key: bytes):
        """What the store knows of ``key``'s result, as a dict of plain values for
        ``describe()`` (e.g. ``{'computed': True, 'completed': <time>}``), or None."""
        return None

    def close(self) -> None:
        """Flush and let go of resources; the store is not used afterwards."""


# Records are NamedTuples, not dataclasses: every command loads this module,
# and a frozen dataclass costs a millisecond of start-up to build.
class LockInfo(NamedTuple):
    """A lock as `jug status` shows it."""

    state: str  # LOCKED, FAILED or DEAD
    owner: str = ""  # who holds it, for people ("host pid 1234")
    since: Optional[float] = None  # epoch seconds it was taken
    heartbeat: Optional[float] = None  # epoch seconds of the holder's last sign of life (leases)


class JugdirURL(NamedTuple):
    """A jugdir as the user wrote it, split into scheme and location."""

    raw: str
    scheme: str
    location: str


class StoreBackend(NamedTuple):
    """What a store plugin declares: its scheme, how to open it, and a line for humans."""

    scheme: str
    open: Callable[..., Store]  # open(url: JugdirURL, settings) -> Store; open(url) is still accepted
    description: str = ""
    example: str = ""
    shared_between_processes: bool = True  # False: one process only (no -j, no second worker)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+._-]*):(.*)$", re.S)
# Jug 2.7 named its in-memory store without a colon; every other bare word is
# a folder, so that installing a plugin never changes where `--jugdir lmdb` goes.
BARE_SCHEMES = ("dict_store",)


def parse_jugdir(text: str, known_schemes=()) -> JugdirURL:
    """Split ``text`` into scheme and location.

    ``scheme:location``, where a ``//`` right after the colon is not part of
    the location (``redis://host/0`` gives ``host/0``, ``file:///tmp/x``
    gives ``/tmp/x``).  Anything without a scheme is the ``file`` scheme, a
    bare word included (``lmdb`` is the folder ``lmdb``), except
    ``dict_store``, Jug 2.7's spelling of ``dict_store:``.  ``known_schemes``
    is accepted for earlier callers and no longer changes the answer.
    """
    if not isinstance(text, str) or not text:
        raise JugError(f"the jugdir must be a non-empty string, not {text!r}")
    if text in BARE_SCHEMES:
        return JugdirURL(text, text, "")
    if text.startswith(("/", "./", "../", "~")):
        return JugdirURL(text, "file", text)
    match = _SCHEME.match(text)
    if match is None or (len(match.group(1)) == 1 and text[1:2] == ":"):  # C:\ paths
        return JugdirURL(text, "file", text)
    scheme, rest = match.groups()
    return JugdirURL(text, scheme, rest[2:] if rest.startswith("//") else rest)


def collect_backends(pm) -> dict:
    """{scheme: (backend, plugin name)} from every plugin; a scheme declared twice is an error."""
    backends = {}
    for plugin_name, declared in call_each(pm, "jug_store_backends"):
        for backend in declared or ():
            if backend.scheme in backends:
                other = backends[backend.scheme][1]
                raise JugError(
                    f"two plugins declare the jugdir scheme '{backend.scheme}': "
                    f"{pm.describe_plugin(other)} and {pm.describe_plugin(plugin_name)}. "
                    "Uninstall one of them, or block one with JUG_DISABLE_PLUGINS."
                )
            backends[backend.scheme] = (backend, plugin_name)
    return backends


def select_backend(pm, jugdir: str):
    """(backend, url) for ``jugdir``; an unknown scheme is an error listing the known ones."""
    backends = collect_backends(pm)
    url = parse_jugdir(jugdir)
    if url.scheme not in backends:
        raise JugError(_unknown_scheme_message(url, sorted(backends)))
    return backends[url.scheme][0], url


def open_store(pm, jugdir: str, settings=None) -> Store:
    """Open the store named by ``jugdir`` with the backend its scheme selects,
    handing its opener ``settings`` (:class:`jugcore.app.Settings`; None: the
    configuration as read for ``pm``'s plugins, as `jug` would)."""
    backend, url = select_backend(pm, jugdir)
    if settings is None:
        from jugcore.app import settings_for  # callers without an app (tests, old plugins)

        settings = settings_for(pm)
    return open_backend(backend, url, settings)


def open_backend(backend, url, settings):
    """``backend.open(url, settings)``; openers written before settings were
    passed take ``url`` alone."""
    if _takes_settings(backend.open):
        return backend.open(url, settings)
    return backend.open(url)


def _takes_settings(opener):
    import inspect  # only when a store opens

    try:
        parameters = list(inspect.signature(opener).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


def _unknown_scheme_message(url, installed):
    provider = _KNOWN_PROVIDERS.get(url.scheme)
    listed = ", ".join(installed) if installed else "none"
    message = f"unknown jugdir scheme '{url.scheme}:' in '{redact(url.raw)}' (installed schemes: {listed})."
    if provider:
        return f"{message} Install it with: pip install {provider}"
    if "://" in url.raw:
        return message
    return f"{message} For a directory whose name contains ':', write it as ./{url.raw}"

