"""The SQLite store: results and locks of a jug run in one database file.

One file instead of one file per result: a run of a million tasks costs one
inode, not a million.  Several worker processes on one machine share it
safely: the database is in WAL mode (readers never wait for the writer),
every connection waits up to ``BUSY_SECONDS`` for another's write, and every
change is a single statement or an IMMEDIATE transaction.  A lock is a row
whose key is unique, so of two workers inserting it exactly one succeeds.

Results are encoded by :mod:`jugcore.formats.encoding` (raw ``.npy`` for numpy
arrays, zlib of a pickle for the rest) before anything is written, and an
array is read back straight into its own memory (blobs.py).  Not for
network filesystems: SQLite's WAL needs shared memory between the processes.
"""
import contextlib
import io
import os
import sqlite3
import time

from jug_sqlite import owners
from jug_sqlite.blobs import BlobFile
from jugcore.api import (
    DEAD, FAILED, LOCKED, CorruptResult, FailureRecord, JugError, Lock, LockInfo, RunRecord, Store,
    decode_native, encode_native, load_native, may_retry,
)

__all__ = ["SqliteStore", "SqliteLock", "BUSY_SECONDS"]

BUSY_SECONDS = 600  # how long a statement waits for another process's write
SCHEMA_VERSION = 2  # 2: the records table
_HELD, _FAILED = 1, 2
_CHUNK = 500  # keys per IN (...) list: below every SQLite build's variable limit
_SCAN_FROM = 1000  # keys asked about, from which listing every result may be cheaper

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS locks (
    key TEXT PRIMARY KEY,
    state INTEGER NOT NULL,   -- 1 held, 2 failed
    owner TEXT NOT NULL,      -- who took it (see owners.py)
    since REAL NOT NULL,      -- when, epoch seconds
    failed_at REAL,           -- the failure record's time (NULL: held, or failed without a record)
    failure TEXT              -- the FailureRecord as JSON
);
CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, record TEXT NOT NULL);  -- RunRecord as JSON
"""


class SqliteStore(Store):
    def __init__(self, path):
        if not path:
            raise JugError("the sqlite: jugdir needs a database file, as in sqlite:run.db")
        self.path = os.path.abspath(os.path.expanduser(path))
        self.db = _connect(self.path)

    def __repr__(self):
        return f"SqliteStore({self.path!r})"

    @contextlib.contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT: takes the write lock first, so a transaction
        never has to upgrade (and fail) midway."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- results ------------------------------------------------------------
    def dump(self, key, value):
        data = encode_native(value)  # may raise (unpicklable): nothing is written yet
        self._insert_result(self.db, key, data)

    def _insert_result(self, db, key, data):
        try:
            db.execute("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", (key.decode(), data))
        except (sqlite3.DataError, OverflowError) as e:
            raise ValueError(f"a result of {len(data)} bytes is too large for SQLite ({e}); "
                             "use a file jugdir for results this large") from None

    def dump_recorded(self, key, value, record):
        data = encode_native(value)
        with self.transaction() as db:  # result and record together, or neither
            self._insert_result(db, key, data)
            db.execute("INSERT OR REPLACE INTO records (key, record) VALUES (?, ?)", (key.decode(), record.to_json()))

    def records_many(self, keys):
        found = {}
        for chunk in _chunks(keys):
            for key, text in self.db.execute(
                    f"SELECT key, record FROM records WHERE key IN ({','.join('?' * len(chunk))})", chunk):
                record = RunRecord.from_json(text)
                if record is not None:
                    found[key.encode()] = record
        return found

    def load(self, key):
        try:
            return self._load(key)
        except CorruptResult as e:
            raise CorruptResult(f"{e} (key {key.decode()} in {self.path})") from None

    def _load(self, key):
        if not hasattr(self.db, "blobopen"):  # Python < 3.11
            row = self.db.execute("SELECT value FROM results WHERE key = ?", (key.decode(),)).fetchone()
            if row is None:
                raise KeyError(key)
            return decode_native(row[0])
        # A read transaction (in WAL, writers do not wait for it): the row
        # cannot change between finding it and reading it.
        self.db.execute("BEGIN")
        try:
            row = self.db.execute("SELECT rowid FROM results WHERE key = ?", (key.decode(),)).fetchone()
            if row is None:
                raise KeyError(key)
            with self.db.blobopen("results", "value", row[0], readonly=True) as blob:
                return load_native(io.BufferedReader(BlobFile(blob)))
        finally:
            self.db.execute("COMMIT")

    def can_load(self, key):
        return self.db.execute("SELECT 1 FROM results WHERE key = ?", (key.decode(),)).fetchone() is not None

    def can_load_many(self, keys):
        keys = keys if isinstance(keys, (list, tuple, set, frozenset)) else list(keys)
        if len(keys) >= _SCAN_FROM and self._results_at_most() <= 2 * len(keys):
            return set(self.list()).intersection(keys)  # reading every key beats looking each up
        found = set()
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            found.update(row[0].encode() for row in
                         self.db.execute(f"SELECT key FROM results WHERE key IN ({marks})", chunk))
        return found

    def _results_at_most(self):
        """An upper bound of the number of results, in O(log n): rowids only grow."""
        return self.db.execute("SELECT max(rowid) FROM results").fetchone()[0] or 0

    def remove(self, key):
        return self.remove_many([key]) > 0

    def remove_many(self, keys):
        return self._delete_rows(("results", "records"), keys)

    def _delete_rows(self, tables, keys):
        """Delete the rows of ``keys`` from ``tables`` (results and records, or locks), in one
        transaction; how many the first had."""
        removed = 0
        with self.transaction() as db:
            for chunk in _chunks(keys):
                marks = ','.join('?' * len(chunk))
                removed += db.execute(f"DELETE FROM {tables[0]} WHERE key IN ({marks})", chunk).rowcount
                for table in tables[1:]:
                    db.execute(f"DELETE FROM {table} WHERE key IN ({marks})", chunk)
        return removed

    def list(self):
        return [row[0].encode() for row in self.db.execute("SELECT key FROM results")]

    def cleanup(self, active, keep_locks=False):
        with self.transaction() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS active (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM temp.active")
            db.executemany("INSERT OR IGNORE INTO temp.active VALUES (?)", ((k.decode(),) for k in active))
            removed = db.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM temp.active)").rowcount
            db.execute("DELETE FROM records WHERE key NOT IN (SELECT key FROM temp.active)")
            if not keep_locks:
                removed += db.execute("DELETE FROM locks WHERE key NOT IN (SELECT key FROM temp.active)").rowcount
            db.execute("DELETE FROM temp.active")
        return removed

    # --- locks --------------------------------------------------------------
    def getlock(self, key):
        return SqliteLock(self, key)

    def listlocks(self):
        return [row[0].encode() for row in self.db.execute("SELECT key FROM locks")]

    def _lock_rows(self, keys):
        """(key, state, owner, since, failed_at, failure) of those of ``keys`` that
        are locked.  Locks are few (the running tasks and the failed ones): one scan."""
        wanted = {k.decode() for k in keys}
        return [row for row in self.db.execute("SELECT * FROM locks") if row[0] in wanted]

    def lock_info_many(self, keys):
        infos, dead = {}, {}
        for key, state, owner, since, failed_at, _ in self._lock_rows(keys):
            if state == _FAILED:
                infos[key.encode()] = LockInfo(FAILED, owners.describe(owner), failed_at)
                continue
            if owner not in dead:
                dead[owner] = owners.is_dead(owner)
            infos[key.encode()] = LockInfo(DEAD if dead[owner] else LOCKED, owners.describe(owner), since)
        return infos

    def lock_state_many(self, keys):
        return {k: info.state for k, info in self.lock_info_many(keys).items() if info.state != DEAD}

    def failures_many(self, keys):
        return {row[0].encode(): FailureRecord.from_json(row[5]) if row[5] else None
                for row in self._lock_rows(keys) if row[1] == _FAILED}

    def remove_failed_locks(self, keys=None):
        with self.transaction() as db:
            failed = [row[0] for row in db.execute("SELECT key FROM locks WHERE state = ?", (_FAILED,))]
            if keys is not None:
                failed = sorted({k.decode() for k in keys}.intersection(failed))
            db.executemany("DELETE FROM locks WHERE key = ? AND state = ?", ((k, _FAILED) for k in failed))
        return [k.encode() for k in failed]

    def remove_locks(self, keys=None):
        if keys is None:
            return self.db.execute("DELETE FROM locks").rowcount
        return self._delete_rows(("locks",), keys)

    def close(self):
        if self.db is not None:
            self.db.close()
            self.db = None


class SqliteLock(Lock):
    __slots__ = ("store", "key")

    def __init__(self, store, key):
        self.store = store
        self.key = key.decode()

    def get(self):
        store = self.store
        me, now = owners.me(), time.time()
        inserted = store.db.execute("INSERT OR IGNORE INTO locks (key, state, owner, since) VALUES (?, ?, ?, ?)",
                                    (self.key, _HELD, me, now))
        if inserted.rowcount:
            return True
        row = store.db.execute("SELECT state, owner FROM locks WHERE key = ?", (self.key,)).fetchone()
        if row is None or row[0] != _HELD or not owners.is_dead(row[1]):
            return False  # (released meanwhile: the caller tries again later, as for a busy lock)
        taken = store.db.execute("UPDATE locks SET owner = ?, since = ? WHERE key = ? AND state = ? AND owner = ?",
                                 (me, now, self.key, _HELD, row[1]))
        return taken.rowcount == 1  # of several workers finding it dead, one takes it over

    def release(self):
        self.store.db.execute("DELETE FROM locks WHERE key = ?", (self.key,))

    def is_locked(self):
        return self.store.db.execute("SELECT 1 FROM locks WHERE key = ?", (self.key,)).fetchone() is not None

    def fail(self, record=None):
        text, at = (record.to_json(), record.time) if record is not None else (None, None)
        changed = self.store.db.execute(  # only a lock this process holds
            "UPDATE locks SET state = ?, failure = ?, failed_at = ? WHERE key = ? AND state = ? AND owner = ?",
            (_FAILED, text, at, self.key, _HELD, owners.me()))
        return changed.rowcount > 0 or self.is_failed()

    def is_failed(self):
        row = self.store.db.execute("SELECT state FROM locks WHERE key = ?", (self.key,)).fetchone()
        return row is not None and row[0] == _FAILED

    def failure(self):
        row = self.store.db.execute("SELECT failure FROM locks WHERE key = ? AND state = ?",
                                    (self.key, _FAILED)).fetchone()
        return FailureRecord.from_json(row[0]) if row is not None and row[0] else None

    def take_failed(self, recorded_before):
        db = self.store.db
        row = db.execute("SELECT failure FROM locks WHERE key = ? AND state = ?", (self.key, _FAILED)).fetchone()
        if row is None or not may_retry(FailureRecord.from_json(row[0]) if row[0] else None, recorded_before):
            return False
        taken = db.execute(  # only if nobody took or changed it since we read it
            "UPDATE locks SET state = ?, owner = ?, since = ?, failure = NULL, failed_at = NULL "
            "WHERE key = ? AND state = ? AND failure = ?",
            (_HELD, owners.me(), time.time(), self.key, _FAILED, row[0]))
        return taken.rowcount == 1


def _chunks(keys):
    keys = [k.decode() for k in keys]
    return [keys[i:i + _CHUNK] for i in range(0, len(keys), _CHUNK)]


def _connect(path):
    if os.path.isdir(path):
        raise JugError(f"sqlite:{path} is a directory; name a database file, as in sqlite:{path}/run.db")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    deadline = time.monotonic() + BUSY_SECONDS
    pause = 0.01
    while True:
        try:
            return _open_database(path)
        except sqlite3.OperationalError as e:
            # Workers opening a new database together: switching it to WAL
            # needs it to themselves, and SQLite reports "locked" at once
            # there instead of waiting out the busy timeout.
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise _unusable(path, e) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
        except sqlite3.DatabaseError as e:
            raise _unusable(path, e) from None


def _open_database(path):
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash loses no commit, a power cut only the newest
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JugError(f"sqlite:{path} was written by a newer jug-sqlite (schema {version}); upgrade jug-sqlite")
        if version < SCHEMA_VERSION:
            db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
    except BaseException:
        db.close()
        raise
    return db


def _unusable(path, error):
    return JugError(f"sqlite:{path} cannot be used as a jug database ({error}); move it away, or name another file")
