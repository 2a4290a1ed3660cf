"""Run records of a file jugdir: append-only logs in ``<jugdir>/records/``.

Jug 2.7 reads only the two-character folders (results), ``locks`` and
``tempfiles``, so nothing here is ever taken for a result.  Each store that
runs tasks appends to a log of its own (created exclusively, under a random
name), one line per event:

* ``<key> {json}`` -- the record of the result just stored (RunRecord.to_json);
* ``<key> -<epoch seconds>`` -- the result was removed then.

One ``write`` per record and no fsync: a record is advisory, and costs a task
a few microseconds.  A reader takes, for each key, the latest event across
all logs: a record counts unless a removal came after the task finished.
Logs never change once written, except by `jug cleanup`, which rewrites what
is still current into one log and removes those whose writer has ended.
"""
import os
import secrets
import time

from jugcore.api import HOSTNAME, RunRecord, owner_alive

__all__ = ["RecordLogs", "RECORDS_FOLDER"]

RECORDS_FOLDER = "records"
_SUFFIX = ".log"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class RecordLogs:
    def __init__(self, jugdir):
        self.folder = os.path.join(jugdir, RECORDS_FOLDER)
        self._fd = None
        self._pid = None

    def append(self, key, record):
        """Keep ``record`` as the record of ``key``'s new result; never raises
        for want of space or rights (a record may be lost, a result not)."""
        self._write(b"%s %s\n" % (key, record.to_json().encode()))

    def forget(self, keys):
        """The results of ``keys`` were removed: their records no longer count."""
        removed = b" -%r\n" % time.time()
        lines = b"".join(key + removed for key in keys)
        if lines and os.path.isdir(self.folder):
            self._write(lines)

    def read(self, keys):
        """{key: RunRecord} for those of ``keys`` with a current record."""
        wanted = set(keys)
        latest = {}  # key -> (time, line or None)
        for name in self._log_names():
            for key, rest in _events(os.path.join(self.folder, name)):
                if key in wanted:
                    _keep_latest(latest, key, rest)
        records = {}
        for key, (_, text) in latest.items():
            record = RunRecord.from_json(text) if text is not None else None
            if record is not None:
                records[key] = record
        return records

    def compact(self, live_keys):
        """Rewrite the current records of ``live_keys`` (those with results) into
        one new log, and remove the logs of writers that have ended (`jug
        cleanup`); how many logs were removed."""
        names = [n for n in self._log_names() if not _writer_alive(n)]
        if not names:
            return 0
        latest = {}
        for name in names:
            for key, rest in _events(os.path.join(self.folder, name)):
                _keep_latest(latest, key, rest)
        kept = [b"%s %s\n" % (key, text) for key, (_, text) in latest.items()
                if text is not None and key in live_keys]
        if kept:
            self._write(b"".join(kept))
        for name in names:
            try:
                os.unlink(os.path.join(self.folder, name))
            except FileNotFoundError:
                pass
        return len(names)

    def close(self):
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None

    def _write(self, data):
        try:
            if self._fd is None or self._pid != os.getpid():  # a forked child writes its own log
                self._open()
            os.write(self._fd, data)
        except OSError:
            pass

    def _open(self):
        os.makedirs(self.folder, exist_ok=True)
        name = f"{HOSTNAME}-{os.getpid()}-{secrets.token_hex(4)}{_SUFFIX}"
        self._fd = os.open(os.path.join(self.folder, name), _FLAGS, 0o666)
        self._pid = os.getpid()

    def _log_names(self):
        try:
            return sorted(n for n in os.listdir(self.folder) if n.endswith(_SUFFIX))
        except (FileNotFoundError, NotADirectoryError):
            return []


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
    """Fold one event into ``latest`` (key -> (time, record text or None))."""
    if rest[:1] == b"-":
        try:
            event = (float(rest[1:]), None)
        except ValueError:
            return
    else:
        record = RunRecord.from_json(rest)
        if record is None:
            return
        event = (record.finished, rest)
    if key not in latest or event[0] >= latest[key][0]:
        latest[key] = event


def _writer_alive(name):
    """Is the log ``name`` (``host-pid-token.log``) still being written?  Logs of
    other hosts are taken as alive: their writers cannot be checked from here."""
    parts = name[: -len(_SUFFIX)].rsplit("-", 2)
    if len(parts) != 3 or parts[0] != HOSTNAME or not parts[1].isdigit():
        return True  # another host's, or a name we did not make: left alone
    pid = int(parts[1])
    return pid == os.getpid() or owner_alive(HOSTNAME, pid) is not False
