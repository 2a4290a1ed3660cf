"""The progress of `jug execute -j N`'s workers, sent to the parent through a pipe.

Each worker registers a :class:`ProgressToParent`, which writes its counts as
``"index total skipped ran failed"`` lines at most 5 times a second; the parent
(:func:`follow`) adds them up and hands the sum to the display a plugin offered
(``jug_workers_progress``).  Only when some plugin offers one is there a pipe.
"""
import os
import select
import threading

from jugcore.plugins import hookimpl

__all__ = ["ProgressToParent", "follow"]

_INTERVAL = 0.2


class ProgressToParent:
    """A worker's counts, written to the parent's pipe (a plugin of the worker's manager).

    The per-task hooks only count; a thread sends the counts when they changed,
    every 0.2 s, so that the parent is up to date while a long task runs (and a
    million short tasks cost no write each)."""

    def __init__(self, fd, index):
        self.fd, self.index = fd, index
        self.total = self.skipped = self.ran = self.failed = 0
        self._sent = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._sender = None

    @hookimpl
    def jug_execute_started(self, total):
        self.total = max(self.total, total)
        if self._sender is None:
            self._sender = threading.Thread(target=self._send_changes, name="jug-progress-to-parent", daemon=True)
            self._sender.start()
        self._send()

    @hookimpl
    def jug_tasks_skipped(self, tasks):
        self.skipped += len(tasks)

    @hookimpl
    def jug_task_finished(self):
        self.ran += 1

    @hookimpl
    def jug_task_failed(self):
        self.failed += 1

    @hookimpl
    def jug_execute_finished(self):
        self._stopped.set()
        self._send()

    def _send_changes(self):
        while not self._stopped.wait(_INTERVAL):
            self._send()

    def _send(self):
        with self._lock:
            counts = (self.total, self.skipped, self.ran, self.failed)
            if counts == self._sent:
                return
            self._sent = counts
            try:
                os.write(self.fd, f"{self.index} {' '.join(map(str, counts))}\n".encode())
            except OSError:
                pass  # the parent is gone; the worker carries on


def follow(procs, read_fd, display, relay=None):
    """Show the workers' combined progress until they have all exited (and pass
    on their output through ``relay``, an OutputRelay, if any).

    Done is what all of them ran plus what every one of them found done
    already (a worker also counts its siblings' results as found, so the
    smallest such count is used)."""
    latest, pending, closed = {}, b"", False
    outputs = relay.fds() if relay is not None else []
    while not closed or outputs:  # the pipes close when every worker has exited...
        watched = outputs + ([] if closed else [read_fd])
        readable, _, _ = select.select(watched, [], [], _INTERVAL)
        if not readable and all(p.poll() is not None for p in procs):
            break  # ...unless a task's own child process inherited them
        for fd in readable:
            if fd != read_fd:
                relay.read(fd)
                continue
            chunk = os.read(read_fd, 65536)
            closed = not chunk
            *lines, pending = (pending + chunk).split(b"\n")
            latest.update(_parse(lines))
        outputs = relay.fds() if relay is not None else []
        if latest:
            display.show(*_combined(latest.values()))
    if relay is not None:
        relay.close()
    display.close()


def _parse(lines):
    for raw in lines:
        fields = raw.split()
        if len(fields) == 5:
            yield fields[0], tuple(map(int, fields[1:]))


def _combined(counts):
    """(done, total, ran, failed) of the workers' (total, skipped, ran, failed)."""
    counts = list(counts)
    total = max(c[0] for c in counts)
    skipped = min(c[1] for c in counts)
    ran = sum(c[2] for c in counts)
    return min(total, skipped + ran), total, ran, sum(c[3] for c in counts)
