"""Run records of a file jugdir: append-only logs in ``<jugdir>/tempfiles/``.

Named ``jugcore-records-<host>-<pid>-<random>.log``.  Jug 2.7 lists results
in the two-character folders only, and its `cleanup` deletes every file of
the jugdir except those in ``locks``, ``packs`` and directly in
``tempfiles``: so the logs live there, beside our listing cache, and our own
sweep of dead temporary files spares ``jugcore-*`` names.  Each store that
runs tasks appends to a log of its own (created exclusively), one line per
event:

* ``<key> <mtime_ns> {json}`` -- the record (RunRecord.to_json) of the result
  just stored, whose file had that modification time (0: unknown);
* ``<key> -<epoch seconds>`` -- the result was removed then.

Beside each log, ``...codes`` lists the (code fingerprint, task name) pairs
its records hold, each written once before the first record with it: `jug
status` reads these few lines to learn that no result was made by other code
than the jugfile's now, without reading the logs.

One ``write`` per record and no fsync: a record is advisory, and costs a task
a few microseconds.  A reader takes, for each key, the latest event across
all logs: a record counts unless a removal came after the task finished,
and unless the result file was written again since (by Jug 2.7, which keeps
no records: its result is then "unknown", never judged by an older record).
Logs never change once written; a store that removed results (`jug cleanup`,
`jug invalidate`) rewrites, when it closes, what is still current in the
logs whose writer has ended into its own, and removes those.
"""
import os
import secrets
import time

from jugcore.api import HOSTNAME, RunRecord, owner_alive

__all__ = ["RecordLogs", "LOG_PREFIX"]

LOG_PREFIX = "jugcore-records-"
_SUFFIX = ".log"
_CODES_SUFFIX = ".codes"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class RecordLogs:
    """The logs in ``temp_dir``; ``result_path(key)`` is where ``key``'s result file is."""

    def __init__(self, temp_dir, result_path):
        self.folder = temp_dir
        self.result_path = result_path
        self._fds = None  # (log, codes) of this process, opened at its first record
        self._pid = None
        self._declared = set()  # (name, code) pairs written to our codes file
        self.forgotten = False  # this store removed results: worth compacting at close

    def append(self, key, record, mtime):
        """Keep ``record`` as the record of ``key``'s new result, whose file was
        written with ``mtime`` (ns; None: unknown); never raises for want of
        space or rights (a record may be lost, a result not)."""
        line = b"%s %d %s\n" % (key, mtime or 0, record.to_json().encode())
        try:
            self._declare(record.name, record.code)
            os.write(self._fds[0], line)
        except OSError:
            pass

    def forget(self, keys):
        """The results of ``keys`` were removed: their records no longer count."""
        removed = b" -%r\n" % time.time()
        lines = b"".join(key + removed for key in keys)
        if lines and os.path.isdir(self.folder):
            try:
                os.write(self._opened()[0], lines)
            except OSError:
                pass
            self.forgotten = True

    def read(self, keys):
        """{key: RunRecord} for those of ``keys`` with a current record."""
        wanted = set(keys)
        latest = {}  # key -> (time, rest of line or None, record)
        for name in self._names(_SUFFIX):
            for key, rest in _events(os.path.join(self.folder, name)):
                if key in wanted:
                    _keep_latest(latest, key, rest)
        records = {}
        for key, (_, rest, record) in latest.items():
            if rest is None:
                continue
            mtime = rest.partition(b" ")[0]
            now = self._mtime(key) if mtime != b"0" else None
            if now is None or b"%d" % now == mtime:  # else written again since, without a record
                records[key] = record
        return records

    def codes(self):
        """Every (task name, code fingerprint) pair the records may hold: each
        log's pairs are written beside it (``.codes``) before its first record
        of the pair, so this reads a few small files, not the logs."""
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
            for key, rest in _events(os.path.join(self.folder, name)):
                _keep_latest(latest, key, rest)
        kept = [(key, rest, record) for key, (_, rest, record) in latest.items()
                if rest is not None and key in live_keys]
        try:
            for _, _, record in kept:
                self._declare(record.name, record.code)
            if kept:
                os.write(self._fds[0], b"".join(b"%s %s\n" % (key, rest) for key, rest, _ in kept))
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
        if self._fds is not None and self._pid == _forks.pid:
            for fd in self._fds:
                os.close(fd)
        self._fds = None

    def _declare(self, name, code):
        """Write (name, code) to our codes file, once; opens our files if needed."""
        fds = self._opened()
        if (name, code) not in self._declared:
            os.write(fds[1], f"{code} {name}\n".encode("utf-8", "replace"))
            self._declared.add((name, code))

    def _opened(self):
        if self._fds is None or self._pid != _forks.pid:  # a forked child writes files of its own
            os.makedirs(self.folder, exist_ok=True)
            stem = os.path.join(self.folder, f"{LOG_PREFIX}{HOSTNAME}-{os.getpid()}-{secrets.token_hex(4)}")
            codes = os.open(stem + _CODES_SUFFIX, _FLAGS, 0o666)
            self._fds = (os.open(stem + _SUFFIX, _FLAGS, 0o666), codes)
            self._pid = _forks.pid
            self._declared = set()
        return self._fds

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


class _Pid:
    """This process's pid, kept (os.getpid is a system call, and a record is written per task)."""

    def __init__(self):
        self.pid = os.getpid()

    def refresh(self):
        self.pid = os.getpid()


_forks = _Pid()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forks.refresh)


def _events(path):
    """(key, rest of the line) for each complete line of the log at ``path``."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return
    for line in data.split(b"\n")[:-1]:  # a last line without its newline is still being written
        key, _, rest = line.partition(b" ")
        if len(key) == 40 and rest:
            yield key, rest


def _keep_latest(latest, key, rest):
    """Fold one event into ``latest`` (key -> (time, rest of line or None, RunRecord or None))."""
    if rest[:1] == b"-":
        try:
            event = (float(rest[1:]), None, None)
        except ValueError:
            return
    else:
        record = RunRecord.from_json(rest.partition(b" ")[2])
        if record is None:
            return
        event = (record.finished, rest, record)
    if key not in latest or event[0] >= latest[key][0]:
        latest[key] = event


def _writer_alive(name):
    """Is the log ``name`` (``jugcore-records-host-pid-token.log``) still being written?  Logs of
    other hosts are taken as alive: their writers cannot be checked from here."""
    parts = name[len(LOG_PREFIX): -len(_SUFFIX)].rsplit("-", 2)
    if len(parts) != 3 or parts[0] != HOSTNAME or not parts[1].isdigit():
        return True  # another host's, or a name we did not make: left alone
    pid = int(parts[1])
    return pid == os.getpid() or owner_alive(HOSTNAME, pid) is not False
