"""Writing a file through a temporary one, safely, and removing the temporary
files that dead writers left.

:func:`replacing` creates the temporary file with ``O_CREAT|O_EXCL|O_NOFOLLOW``
under a name nobody can guess (random), so a symlink or file planted in the
folder is never written through; the finished file is renamed into place, so
``path`` is never seen half-written and a symlink at ``path`` is replaced, not
followed.

A temporary file's name says who writes it: ``.<stem>.jugtmp-<random>-<pid>@<host>``,
and its writer holds an ``flock`` on it until the rename.  So a later process
can tell a dead writer's file from a live one's (:func:`remove_dead_temps`):
on this host, the pid is gone and nobody holds the flock; of another host (or
with a name we did not make, such as Jug 2.7's), only by age.
"""
import contextlib
import fcntl
import os
import stat
import time

from jugcore.host import HOSTNAME
from jugcore.owners import owner_alive

__all__ = ["replacing", "write_replacing", "remove_dead_temps", "fsync_folder", "FOREIGN_TEMP_AGE"]

_MARK = ".jugtmp-"
# os.open's mode goes through the umask, as Jug's open(..., 'bx') does: results
# stay as group-readable as the user's other files (mkstemp would make them 0600).
_MODE = 0o666
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_STEM_MAX = 100  # of the final name kept in the temporary one: names stay under 255 bytes
# A temporary file of another host (whose pids we cannot check), or of Jug 2.7,
# untouched this long has no writer: nobody writes one result for a day.
FOREIGN_TEMP_AGE = 24 * 3600


def _stem(path):
    return os.path.basename(path)[:_STEM_MAX]


def _new_name(stem):
    return f".{stem}{_MARK}{os.urandom(4).hex()}-{os.getpid()}@{HOSTNAME}"


def _writer(name):
    """(pid, host) from a temporary file's name, or None if we did not make it."""
    _, mark, rest = name.partition(_MARK)
    _, dash, writer = rest.partition("-")
    pid, at, host = writer.partition("@")
    if not (mark and dash and at and pid.isdigit()):
        return None
    return int(pid), host


def _create(folder, stem, make_folder):
    temp = os.path.join(folder, _new_name(stem))
    try:
        fd = os.open(temp, _CREATE, _MODE)
    except FileNotFoundError:
        if not make_folder:
            raise
        os.makedirs(folder, exist_ok=True)
        fd = os.open(temp, _CREATE, _MODE)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held until the file is in place: "my writer is alive"
    return temp, fd


@contextlib.contextmanager
def replacing(path, mode="wb", folder=None, sync=False, place=os.replace, make_folder=False, sweep=True):
    """``with replacing(path) as f: f.write(...)`` writes ``path`` whole or not at all.

    The temporary file is made in ``folder`` (default: next to ``path``; the
    folder is created if ``make_folder``), flushed to disk first if ``sync``,
    then put in place by ``place(temp, path)`` (a rename).  On any error the
    temporary file is removed and ``path`` is left as it was.  With ``sweep``,
    the temporary files for ``path`` whose writers died are removed first (it
    lists the folder: writers of many files sweep once, see remove_dead_temps).
    """
    with _Placement(path, folder, sync, place, make_folder, sweep) as fd, open(fd, mode, closefd=False) as f:
        yield f


def write_replacing(path, data, folder=None, sync=False, place=os.replace, make_folder=False, sweep=True):
    """``data`` written to ``path`` as :func:`replacing` does, without a file
    object: a store writes one result per task, and the buffered writer and the
    generator-based context manager cost a fifth of the rest.  ``data`` is a
    bytes-like object, or an iterable of them written one after another (a big
    array's header, then its own memory: nothing is copied to join them).
    Returns what ``place(temp, path)`` returned."""
    parts = (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data
    placement = _Placement(path, folder, sync, place, make_folder, sweep)
    with placement as fd:
        for part in parts:
            view = memoryview(part)
            while view:
                view = view[os.write(fd, view):]
    return placement.placed


class _Placement:
    """The temporary file for ``path`` (its descriptor, from ``with``): put in
    place when the block ends cleanly, removed when it raises."""

    __slots__ = ("path", "temp", "fd", "sync", "place", "placed")

    def __init__(self, path, folder, sync, place, make_folder, sweep):
        self.path = os.fsdecode(path)
        folder = (os.path.dirname(self.path) or ".") if folder is None else os.fsdecode(folder)
        if sweep:
            remove_dead_temps(folder, _stem(self.path))
        self.temp, self.fd = _create(folder, _stem(self.path), make_folder)
        self.sync = sync
        self.place = place

    def __enter__(self):
        return self.fd

    def __exit__(self, kind, error, traceback):
        try:
            if kind is None:
                if self.sync:
                    _datasync(self.fd)
                self.placed = self.place(self.temp, self.path)
                return
        except BaseException:
            _remove(self.temp)
            raise
        finally:
            os.close(self.fd)
        _remove(self.temp)


def fsync_folder(path):
    """Flush the entries of the folder ``path`` to disk (files renamed into it
    survive a power cut); Jug 2's ``fsync_dir``, which our stores do not need."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_dead_temps(folder, stem=None, foreign_too=False):
    """Remove the temporary files in ``folder`` (those for ``stem``'s final name
    only, if given) whose writer is gone; how many were removed.

    With ``foreign_too``, files whose name we did not make count as well (judged
    by age only), except the ``jugcore-*`` caches.  Never a live writer's file,
    and never anything but a regular file.
    """
    folder = os.fsdecode(folder)
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    prefix = f".{stem}{_MARK}" if stem is not None else None
    now = time.time()
    removed = 0
    for name in names:
        if prefix is not None and not name.startswith(prefix):
            continue
        writer = _writer(name)
        if writer is None and not (foreign_too and not name.startswith("jugcore-")):
            continue
        path = os.path.join(folder, name)
        if _writer_is_dead(path, writer, now) and _remove(path):
            removed += 1
    return removed


def _writer_is_dead(path, writer, now):
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False  # a symlink or folder someone put there: not ours to remove
    if writer is None or writer[1] != HOSTNAME:
        return now - st.st_mtime > FOREIGN_TEMP_AGE
    return owner_alive(HOSTNAME, writer[0]) is False and _nobody_holds(path)


def _nobody_holds(path):
    """True if no process holds the writer's flock on ``path``.  Asked as well as
    the pid: a pid of another pid namespace (a container with our host name)
    proves nothing, the flock does."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


_datasync = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        return False
    return True
