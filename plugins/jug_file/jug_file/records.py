"""Run records of a file jugdir: append-only logs in ``<jugdir>/tempfiles/``.

Named ``jugcore-records-<host>-<pid>-<random>.log``.  Jug 2.7 lists results
in the two-character folders only, and its `cleanup` deletes every file of
the jugdir except those in ``locks``, ``packs`` and directly in
``tempfiles``: so the logs live there, beside our listing cache, and our own
sweep of dead temporary files spares ``jugcore-*`` names.  Each process
that runs tasks appends to a log of its own (created exclusively)::

    #jugcore-records 2
    =<n> <host> <pid> <jugcore version> <code fingerprint> <task name>
    <key> <stored µs> <started µs> <duration ns> <peak rss> <n>
    <key> -<epoch seconds>

A ``=`` line names, once, what the records of one task function have in
common (their context ``n``); a record line gives what varies, for the
result just stored; a ``-`` line says the result was removed then.
"Stored" is when the result file was put in place, by the clock of the
filesystem (which sets the files' mtimes: an NFS server's may differ from
the worker's), learnt from the log's own mtime after each write.

Beside each log, ``...codes`` lists the (code fingerprint, task name) pairs
its records hold, each written before the first record with it: `jug
status` reads these few lines to learn that no result was made by other code
than the jugfile's now, without reading the logs.

A task costs its record a tuple in a queue: a thread of the writer formats
and writes the queue twice a second (and the store's ``close``, at exit,
whatever is left).  Records are advisory, so a worker killed with SIGKILL may
lose its last half-second of them, never a result.  A reader takes, for
each key, the latest event across all logs: a record counts unless a
removal came after the task finished, and unless the result file was
written again since: its mtime is later than the record's "stored" time (by
more than REWRITTEN_AFTER, for clocks read a little apart).  Jug 2.7 keeps
no records, so a result it computed again is then "unknown", never judged
by an older record.  Logs never change once
written; a store that removed results (`jug cleanup`, `jug invalidate`)
rewrites, when it closes, what is still current in the logs whose writer has
ended into its own, and removes those.
"""
import os
import secrets
import time

from jugcore.api import HOSTNAME, RecordQueue, RunRecord, owner_alive

__all__ = ["RecordLogs", "LOG_PREFIX"]

LOG_PREFIX = "jugcore-records-"
# A result file modified this many seconds after its record says it was stored
# was written again since (by Jug 2.7); less is the clocks' play (one-second
# mtimes on some filesystems).  Jug 2.7 cannot invalidate and recompute a
# result so soon after we stored it.
REWRITTEN_AFTER = 2.0
_HEADER = b"#jugcore-records 2\n"
_SUFFIX = ".log"
_CODES_SUFFIX = ".codes"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_RECORD_LINE = b"%s %d %d %d %d %d\n"


class RecordLogs:
    """The logs in ``temp_dir``; ``result_path(key)`` is where ``key``'s result file is."""

    def __init__(self, temp_dir, result_path):
        self.folder = temp_dir
        self.result_path = result_path
        self.forgotten = False  # this store removed results: worth compacting at close
        self._queue = RecordQueue(self._write)
        # keep((key, stored, record)): ``record`` is the record of ``key``'s new result,
        # whose file was put in place at ``stored`` (time.time()).  Queued (the store's
        # per-task call goes straight to the queue): written within half a second, and
        # never fails a task (a record may be lost, a result not).
        self.keep = self._queue.put
        self._files = None  # (pid, log fd, codes fd): this process's, opened at its first write
        self._contexts = {}  # (name, code, host, pid, version) -> its number in our log
        self._pairs = set()  # (name, code) written to our codes file
        self._skew = 0.0  # the filesystem's clock minus ours, in seconds (see _measure_skew)

    def _write(self, batch):
        """The queue's writer (its thread, or a flush): one write of the batch's lines,
        after the ``=`` lines of contexts new to our log."""
        log = self._opened()[0]
        skew_us = self._skew * 1e6
        lines = []
        for key, stored, record in batch:
            name, host, pid, started, duration, peak_rss, version, code = record
            context = self._contexts.get((name, code, host, pid, version))
            if context is None:
                context = self._declare(name, code, host, pid, version)
            lines.append(_RECORD_LINE % (key, stored * 1e6 + skew_us, started * 1e6, duration * 1e9, peak_rss,
                                         context))
        os.write(log, b"".join(lines))
        self._measure_skew()

    def forget(self, keys):
        """The results of ``keys`` were removed: their records no longer count."""
        removed = b" -%r\n" % time.time()
        lines = b"".join(key + removed for key in keys)
        if lines and os.path.isdir(self.folder):
            try:
                self._queue.flush()
                os.write(self._opened()[0], lines)
            except OSError:
                pass
            self.forgotten = True

    def read(self, keys):
        """{key: RunRecord} for those of ``keys`` with a current record."""
        self._queue.flush_quietly()
        wanted = set(keys)
        latest = {}  # key -> _Event
        for name in self._names(_SUFFIX):
            for key, event in _events(os.path.join(self.folder, name), wanted):
                _keep_latest(latest, key, event)
        records = {}
        for key, event in latest.items():
            if event.record is None:
                continue
            now = self._mtime(key)
            if now is None or now <= (event.stored + REWRITTEN_AFTER) * 1e9:  # else written again since
                records[key] = event.record
        return records

    def codes(self):
        """Every (task name, code fingerprint) pair the records may hold: each
        log's pairs are written beside it (``.codes``) before its first record
        of the pair, so this reads a few small files, not the logs."""
        self._queue.flush_quietly()
        pairs = set()
        for name in self._names(_CODES_SUFFIX):
            try:
                with open(os.path.join(self.folder, name), "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for line in data.split(b"\n")[:-1]:
                code, _, task_name = line.decode("utf-8", "replace").partition(" ")
                pairs.add((task_name, code))
        return pairs

    def compact(self, live_keys):
        """Rewrite the current records of ``live_keys`` (those with results) from
        the logs of writers that have ended into our own, and remove those
        logs; how many were removed."""
        names = [n for n in self._names(_SUFFIX) if not _writer_alive(n)]
        if not names:
            return 0
        latest = {}
        for name in names:
            for key, event in _events(os.path.join(self.folder, name)):
                _keep_latest(latest, key, event)
        try:
            self._opened()  # (the filesystem's clock learnt: keep takes ours)
            for key, event in latest.items():
                if event.record is not None and key in live_keys:
                    self.keep((key, event.stored - self._skew, event.record))
            self._queue.flush()
        except OSError:
            return 0  # nothing removed: what the old logs say is still right
        for name in names:
            for path in (name, name[: -len(_SUFFIX)] + _CODES_SUFFIX):
                try:
                    os.unlink(os.path.join(self.folder, path))
                except FileNotFoundError:
                    pass
        return len(names)

    def close(self):
        self._queue.close()
        if self._files is not None and self._files[0] == os.getpid():
            for fd in self._files[1:]:
                os.close(fd)
        self._files = None

    def _opened(self):
        """(log, codes) of this process: made (O_EXCL), with the log's header, at its first write."""
        pid = os.getpid()
        if self._files is None or self._files[0] != pid:  # (a forked child writes files of its own)
            self._contexts, self._pairs = {}, set()
            os.makedirs(self.folder, exist_ok=True)
            stem = os.path.join(self.folder, f"{LOG_PREFIX}{HOSTNAME}-{pid}-{secrets.token_hex(4)}")
            fds = []
            try:
                for suffix in (_SUFFIX, _CODES_SUFFIX):
                    fds.append(os.open(stem + suffix, _FLAGS, 0o666))
                os.write(fds[0], _HEADER)
            except OSError:
                for fd in fds:
                    os.close(fd)
                raise
            self._files = (pid, *fds)
            self._measure_skew()
        return self._files[1:]

    def _declare(self, name, code, host, pid, version):
        """Number a new context in our log (and its pair in our codes file) before any record of it."""
        log, codes = self._opened()
        context = len(self._contexts)
        if (name, code) not in self._pairs:
            os.write(codes, f"{code} {name}\n".encode("utf-8", "replace"))
            self._pairs.add((name, code))
        os.write(log, f"={context} {host} {pid} {version} {code} {name}\n".encode("utf-8", "replace"))
        self._contexts[name, code, host, pid, version] = context
        return context

    def _measure_skew(self):
        """Learn the filesystem's clock from our log's mtime, just written: one
        ``fstat`` per write of the log, not per record."""
        try:
            mtime = os.fstat(self._files[1]).st_mtime_ns
        except OSError:
            return
        self._skew = mtime / 1e9 - time.time()

    def _mtime(self, key):
        """The result file's modification time (ns), or None (no file: packed, or removed)."""
        try:
            return os.stat(self.result_path(key)).st_mtime_ns
        except OSError:
            return None

    def _names(self, suffix):
        try:
            return sorted(n for n in os.listdir(self.folder) if n.startswith(LOG_PREFIX) and n.endswith(suffix))
        except (FileNotFoundError, NotADirectoryError):
            return []


class _Event(tuple):
    """One line of a log about a key: (finished, stored by the filesystem's clock, RunRecord or None: removed),
    times in epoch seconds."""

    __slots__ = ()
    finished = property(lambda self: self[0])
    stored = property(lambda self: self[1])
    record = property(lambda self: self[2])


def _events(path, wanted=None):
    """(key, _Event) for each complete line of the log at ``path`` (of ``wanted``
    keys only, if given); lines that cannot be read are skipped, never fatal."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return
    if not data.startswith(_HEADER):
        return  # not a log of this format
    contexts = {}
    for line in data[len(_HEADER):].split(b"\n")[:-1]:  # a last line without its newline is still being written
        fields = line.split(b" ")
        if line[:1] == b"=":
            context = _context(line)
            if context is not None:
                contexts[fields[0][1:]] = context
            continue
        key = fields[0]
        if len(key) != 40 or (wanted is not None and key not in wanted):
            continue
        try:
            if len(fields) == 2 and fields[1][:1] == b"-":
                yield key, _Event((float(fields[1][1:]), 0, None))
            elif len(fields) == 6:
                name, code, host, pid, version = contexts[fields[5]]
                started, duration = int(fields[2]) / 1e6, int(fields[3]) / 1e9
                record = RunRecord(name, host, pid, started, duration, int(fields[4]), version, code)
                yield key, _Event((started + duration, int(fields[1]) / 1e6, record))
        except (ValueError, KeyError):
            continue


def _context(line):
    """(name, code, host, pid, version) of a ``=`` line, or None if damaged."""
    try:
        _, host, pid, version, code, name = line.decode("utf-8", "replace").split(" ", 5)
        return name, code, host, int(pid), version
    except ValueError:
        return None


def _keep_latest(latest, key, event):
    if key not in latest or event.finished >= latest[key].finished:
        latest[key] = event


def _writer_alive(name):
    """Is the log ``name`` (``jugcore-records-host-pid-token.log``) still being written?  Logs of
    other hosts are taken as alive: their writers cannot be checked from here."""
    parts = name[len(LOG_PREFIX): -len(_SUFFIX)].rsplit("-", 2)
    if len(parts) != 3 or parts[0] != HOSTNAME or not parts[1].isdigit():
        return True  # another host's, or a name we did not make: left alone
    pid = int(parts[1])
    return pid == os.getpid() or owner_alive(HOSTNAME, pid) is not False
