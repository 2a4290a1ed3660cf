"""Run records a store writes in batches, by a thread of the worker.

A store that keeps a record per result (``Store.dump_recorded``) pays for it
on every task: a write, a round trip, formatting.  With a RecordQueue, a
task pays a deque append; a thread writes what is queued every
``FLUSH_EVERY`` seconds, as one batch, and so does :meth:`RecordQueue.flush`
(before a store reads its own records, at close, at the interpreter's
exit).  Records are advisory: a worker killed with SIGKILL loses at most
its last FLUSH_EVERY seconds of them, never a result.
"""
import atexit
import collections
import threading
import weakref

from jugcore.stores.run_record import this_process

__all__ = ["RecordQueue", "FLUSH_EVERY", "flush_all"]

FLUSH_EVERY = 0.5  # seconds a record may wait in its worker's queue


class RecordQueue:
    """Rows for ``write(rows)``, a store's function that writes a batch of them
    (it may raise: the rows are then lost, and the next batch is tried)."""

    def __init__(self, write):
        self._write = write
        self._rows = collections.deque()
        self._pid = None  # the process whose thread writes the rows (a forked child starts its own)
        self._writing = threading.Lock()  # one writer at a time: the thread, or flush()
        self._stop = None

    def put(self, row):
        if self._pid != this_process.pid:
            self._start()
        self._rows.append(row)

    def flush(self):
        """Write what is queued now, in this thread; raises what ``write`` raised."""
        if self._pid != this_process.pid or not self._rows:
            return
        with self._writing:
            rows = self._rows
            batch = [rows.popleft() for _ in range(len(rows))]
            if batch:
                self._write(batch)

    def flush_quietly(self):
        """:meth:`flush`, for those who must not fail for want of a record (readers, close)."""
        try:
            self.flush()
        except Exception:  # noqa: BLE001 -- an unwritable store: the records are lost, as documented
            pass

    def close(self):
        """Write what is left and stop the thread (a later ``put`` starts another)."""
        if self._pid != this_process.pid:
            return
        self._stop.set()
        self.flush_quietly()
        _open_queues.discard(self)
        self._pid = None

    def _start(self):
        self._rows.clear()  # a forked child's copy of its parent's rows: the parent writes those
        self._pid = this_process.pid
        self._writing = threading.Lock()  # the parent's thread may have held it at the fork
        self._stop = threading.Event()
        threading.Thread(target=_write_every, args=(weakref.ref(self), self._stop), name="jug-run-records",
                         daemon=True).start()
        _open_queues.add(self)


def _write_every(queue_ref, stop):
    """The thread: the queue's rows written every FLUSH_EVERY until it closes (or is gone)."""
    while not stop.wait(FLUSH_EVERY):
        queue = queue_ref()
        if queue is None:
            return
        queue.flush_quietly()
        del queue


_open_queues = weakref.WeakSet()  # what exit writes, for stores that were never closed


@atexit.register
def flush_all():
    """Write what every queue of this process holds (at exit; and for a benchmark's bookkeeping)."""
    for queue in list(_open_queues):
        queue.flush_quietly()
