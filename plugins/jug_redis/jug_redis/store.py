"""The Redis store: Jug 2.7's keys and values, with leased locks.

Results live under ``result:<key>`` and locks under ``lock:<key>`` (after the
URL's prefix, if any), as Jug 2.7 writes them; see lua.py for the rest of the
layout and codec.py for the values.  Bulk questions are asked a few thousand
keys per command or script call; listing uses SCAN, never KEYS, and only ever
matches this project's key names.  Everything goes through one redis-py
client (see connection.py and client.py).
"""
import time
from itertools import islice

from jugcore.api import FAILED, LOCKED, CorruptResult, FailureRecord, LockInfo, RunRecord, Store

from jug_redis.claims import Claims
from jug_redis.client import pipelined
from jug_redis.codec import decode_any, encode_fast, encode_jug27
from jug_redis.connection import Connection
from jug_redis.leases import describe_lease
from jug_redis.lock import RedisLock
from jug_redis.lua import SCRIPTS
from jug_redis.values import read_result
from jug_redis.wire import pack

__all__ = ["RedisStore"]

_CHUNK = 5000  # keys per script call: each call holds the server for a few ms at most
_SCAN_COUNT = 1000


class RedisStore(Store):
    def __init__(self, url):
        self.url = url
        self.prefix = url.prefix
        # Without a prefix the database may be shared: list() shows every project's results.
        self.owns_all_keys = bool(self.prefix)
        self.connection = Connection(url)
        self.claims = Claims(self.connection, self.prefix, url.lease)
        self._encode = encode_fast if self.prefix else encode_jug27
        self._results = self.prefix + b"result:"
        self._logs = self.prefix + b"record-log:"  # + a worker's token: its record log (lua.py)
        self._log = self._logs + self.claims.owner.token.encode()
        self._removed_results = False  # then close() folds the record logs into one (see _compact_logs)
        self._codes = self.prefix + b"record-codes"  # a set of "<code> <task name>": see recorded_codes()
        self._declared = set()  # (name, code) pairs this store has added to it

    def __repr__(self):
        return f"RedisStore({self.url.display!r})"

    def _run(self, call, *args):
        """``call(redis-py client, *args)``, retried across outages."""
        if self.claims.pending:  # read our own writes
            self.claims.flush()
        return self.connection.run(call, *args)

    # --- results ------------------------------------------------------------
    def dump(self, key, value):
        self._dump(key, value, _without_records([key]))  # an older record no longer counts

    def dump_recorded(self, key, value, record):
        pair = (record.name, record.code)
        if pair not in self._declared:  # once per task function and process: before any record of it
            self._run(lambda client: client.sadd(self._codes, f"{record.code} {record.name}"))
            self._declared.add(pair)
        self._dump(key, value, b"%s %s\n" % (key, record.to_line()))

    def recorded_codes(self):
        members = self._run(lambda client: client.smembers(self._codes))
        return {tuple(m.decode("utf-8", "replace").split(" ", 1)[::-1]) for m in members if b" " in m}

    def _dump(self, key, value, log_line):
        """Store the result, and append ``log_line`` (its record, or that it has
        none) to our record log, in one round trip: the commit of the task's
        lock, or else one MULTI."""
        data = self._encode(value)  # may raise (unpicklable): nothing is written
        if self.claims.holds(key):
            self.claims.dump(key, data, log_line)
        else:
            self._run(_set_and_log, self._results + key, data, self._log, log_line)

    def records_many(self, keys):
        names = self._log_names()
        texts = [text for chunk in _chunks(names) for text in self._run(lambda c, chunk=chunk: c.mget(chunk))]
        latest = _latest_lines(texts, set(keys))
        return {key: record for key, (_, _, record) in latest.items() if record is not None}

    def _compact_logs(self):
        """Fold every record log into ours, keeping the latest record of each result
        still there: removed results leave lines that every reader would read in
        vain.  Each log is taken whole (GET and DEL in one MULTI): a worker still
        running starts a new one with its next line."""
        texts = [self._run(_take, name) for name in self._log_names()]
        live = set(self.list())
        lines = [line for key, (_, line, record) in _latest_lines(texts, live).items() if record is not None]
        if lines:
            self._run(lambda client: client.append(self._log, b"\n".join(lines) + b"\n"))

    def _log_names(self):
        """The names of every worker's record log."""
        return [self._logs + token for token in self._scan(b"record-log:")]

    def load(self, key):
        data = self._run(read_result, self.prefix, key)
        if data is None:
            raise KeyError(key)
        try:
            return decode_any(data)
        except CorruptResult as e:
            name = (self._results + key).decode()
            raise CorruptResult(f"{e} (Redis key {name} at {self.url.display})") from None

    def can_load(self, key):
        known = self.claims.known_result(key)
        if known is not None:
            return known
        return bool(self._run(lambda client: client.exists(self._results + key)))

    def remove(self, key):
        return self.remove_many([key]) > 0

    def list(self):
        return self._scan(b"result:")

    def can_load_many(self, keys):
        found = set()
        mixed = []
        for chunk, count in self._count_existing(self._results, keys):
            if count == len(chunk):
                found.update(chunk)
            elif count:
                mixed.append(chunk)
        if mixed:  # some done, some not: ask key by key
            for chunk, marks in zip(mixed, self._run(SCRIPTS.have_results.many, [self.prefix], mixed)):
                found.update(k for k, mark in zip(chunk, marks) if mark == 49)  # b"1"
        return found

    def _count_existing(self, kind, keys):
        """(chunk, how many of its ``kind + key`` exist) per chunk of ``keys``, in one
        round trip.  Multi-key EXISTS is several times cheaper for the server than
        a script, and answers whole chunks when all or none exist (the usual case).
        Each chunk is sent as soon as ``keys`` yields it: `jug status` hashes the
        later keys while the server counts the first ones."""
        chunks = _ChunksAsTheyCome(keys)
        replies = self._run(pipelined, _Packed(chunks, [b"EXISTS"], kind))
        return zip(chunks.seen, replies)

    def remove_many(self, keys):
        self._removed_results = True
        return sum(self._run(_delete_and_log, [self._results + k for k in chunk], self._log, _without_records(chunk))
                   for chunk in _chunks(keys))

    # --- locks --------------------------------------------------------------
    def getlock(self, key):
        return RedisLock(self, key)

    def prepare_locks(self, upcoming):
        self.claims.prepare(upcoming)

    def listlocks(self):
        return self._scan(b"lock:")

    def lock_state_many(self, keys):
        chunks = self._chunks_with(b"lock:", keys)
        states = {}
        for chunk, (marks, _) in zip(chunks, self._run(SCRIPTS.locks.many, [self.prefix, b"0"], chunks)):
            states.update((k, FAILED if m == 70 else LOCKED) for k, m in zip(chunk, marks) if m != 45)  # F, -
        return states

    def lock_info_many(self, keys):
        return {key: _lock_info(*details) for key, details in self._lock_details(keys)}

    def failures_many(self, keys):
        return {key: FailureRecord.from_json(failure) if failure else None
                for key, (held, _, _, failure) in self._lock_details(keys) if held == b"F"}

    def _lock_details(self, keys):
        """(key, (lock value, lease text, lease ms left, failure text)) for each locked key."""
        chunks = self._chunks_with(b"lock:", keys)
        for chunk, (_, found) in zip(chunks, self._run(SCRIPTS.locks.many, [self.prefix, b"1"], chunks)):
            for i in range(0, len(found), 5):
                yield chunk[found[i] - 1], tuple(found[i + 1:i + 5])

    def _chunks_with(self, kind, keys):
        """The chunks of ``keys`` in which some ``kind`` key exists."""
        return [chunk for chunk, count in self._count_existing(self.prefix + kind, keys) if count]

    def remove_failed_locks(self, keys=None):
        keys = self.listlocks() if keys is None else keys
        failed = [key for key, state in self.lock_state_many(keys).items() if state == FAILED]
        for chunk in _chunks(failed):  # the script clears only locks still failed
            self._run(SCRIPTS.release, self.prefix, "", *chunk)
        return failed

    def remove_locks(self, keys=None):
        return self._remove_locks(self.listlocks() if keys is None else self.lock_state_many(keys))

    def _remove_locks(self, keys):
        kinds = (b"lock:", b"lease:", b"failure:")
        removed = 0
        keys = list(keys)
        self.claims.forget(keys)
        for chunk in _chunks(keys):
            names = [self.prefix + kind + k for k in chunk for kind in kinds]
            self._run(lambda client, names: client.delete(*names), names)
            removed += len(chunk)
        return removed

    def cleanup(self, active, keep_locks=False):
        active = set(active)
        listed = self.list()
        removed = self.remove_many([k for k in listed if k not in active])
        if active.isdisjoint(listed):  # no result left, so no record: the logs and codes go too
            logs = self._log_names()
            self._run(lambda client: client.delete(self._codes, *logs))
            self._declared.clear()
        if not keep_locks:
            removed += self._remove_locks([k for k in self.listlocks() if k not in active])
        return removed

    # --- listing ------------------------------------------------------------
    def _scan(self, kind):
        """Task keys of every ``kind`` key of this prefix (SCAN: never blocks the server)."""
        start = len(self.prefix) + len(kind)
        pattern = _glob_escape(self.prefix + kind) + b"*"
        names = self._run(lambda client: list(client.scan_iter(match=pattern, count=_SCAN_COUNT)))
        return [name[start:] for name in names]

    def close(self):
        try:
            self.claims.close()
            if self._removed_results:
                self._compact_logs()
        finally:
            self.connection.close()


def _set_and_log(client, name, data, log, log_line):
    pipe = client.pipeline(transaction=True)  # MULTI: nobody sees the result with an older record
    pipe.set(name, data)
    pipe.append(log, log_line)
    pipe.execute()


def _delete_and_log(client, names, log, log_lines):
    """Delete results ``names``, appending their removal to our record log;
    how many results there were."""
    pipe = client.pipeline(transaction=True)
    pipe.delete(*names)
    pipe.append(log, log_lines)
    return pipe.execute()[0]


def _without_records(keys):
    """Record-log lines saying that ``keys`` have, from now on, no record."""
    now = b" -%r\n" % time.time()
    return b"".join(key + now for key in keys)


def _latest_lines(texts, keys):
    """{key: (time, line, RunRecord or None)}: the latest line about each of ``keys``
    in the record logs ``texts`` (None: stored without a record, or removed)."""
    latest = {}
    for text in texts:
        for line in (text or b"").split(b"\n")[:-1]:
            key, _, rest = line.partition(b" ")
            if key in keys:
                event = _log_event(rest)
                if event is not None and (key not in latest or event[0] >= latest[key][0]):
                    latest[key] = (event[0], line, event[1])
    return latest


def _log_event(rest):
    """(time, RunRecord or None) of a record-log line after its key, or None if damaged."""
    if rest[:1] == b"-":
        try:
            return float(rest[1:]), None
        except ValueError:
            return None
    record = RunRecord.from_line(rest)
    return None if record is None else (record.finished, record)


def _take(client, name):
    """The text of the key ``name``, deleted in the same MULTI."""
    pipe = client.pipeline(transaction=True)
    pipe.get(name)
    pipe.delete(name)
    return pipe.execute()[0]


def _lock_info(held, lease, pttl, failure):
    if held == b"F":
        record = FailureRecord.from_json(failure) if failure else None
        return LockInfo(FAILED, record and f"{record.host} pid {record.pid}" or "", record and record.time)
    owner, since, heartbeat = describe_lease(lease.decode(errors="replace"), pttl)
    return LockInfo(LOCKED, owner, since, heartbeat)


def _chunks(keys):
    keys = keys if isinstance(keys, list) else list(keys)
    return [keys[i:i + _CHUNK] for i in range(0, len(keys), _CHUNK)]


class _ChunksAsTheyCome:
    """The chunks of ``keys`` (any iterable), each taken from it when first
    needed; iterating again replays them (a retry after a lost connection)."""

    def __init__(self, keys):
        self._source = iter(keys)
        self.seen = []

    def __iter__(self):
        for chunk in self.seen:
            yield chunk
        while True:
            chunk = list(islice(self._source, _CHUNK))
            if not chunk:
                return
            self.seen.append(chunk)
            yield chunk


class _Packed:
    """``pack(head, chunk, kind)`` for each chunk, made anew on every iteration."""

    def __init__(self, chunks, head, kind):
        self._chunks, self._head, self._kind = chunks, head, kind

    def __iter__(self):
        return (pack(self._head, chunk, self._kind) for chunk in self._chunks)


def _glob_escape(text):
    for special in (b"\\", b"*", b"?", b"[", b"]"):
        text = text.replace(special, b"\\" + special)
    return text
