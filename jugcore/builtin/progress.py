"""Live progress of `jug execute` on a terminal: done / total, rate, failures.

Silent when stderr is not a terminal (logs, CI, pipes) or JUG_NO_PROGRESS is
set.  Under `jug execute -j N` each worker sends its counts to the parent
through the pipe named by JUG_PROGRESS_FD, and the parent draws one line.
"""
import os
import select
import sys
import time

from jugcore.plugins import hookimpl

_INTERVAL = 0.2
_PIPE_ENV = "JUG_PROGRESS_FD"


class Counts:
    __slots__ = ("total", "skipped", "ran", "failed")

    def __init__(self, total=0, skipped=0, ran=0, failed=0):
        self.total, self.skipped, self.ran, self.failed = total, skipped, ran, failed


class TerminalLine:
    """Draws counts on one self-overwriting stderr line, at most 5 times a second."""

    def __init__(self):
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def show(self, counts, done, force=False):
        now = time.monotonic()
        if not force and now - self.last < _INTERVAL:
            return
        self.last = now
        rate = counts.ran / (now - self.started) if now > self.started else 0.0
        sys.stderr.write(f"\rjug: {done}/{counts.total} done, {rate:.0f} tasks/s, {counts.failed} failed\x1b[K")
        sys.stderr.flush()
        self.drawn = True

    def clear(self):
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


class _WorkerReport:
    """A -j worker's counts, written to the parent's pipe as
    "worker total skipped ran failed" lines."""

    def __init__(self, fd):
        self.fd = fd
        self.worker = os.environ.get("JUG_WORKER_INDEX", "0")
        self.last = 0.0

    def show(self, counts, done, force=False):
        now = time.monotonic()
        if force or now - self.last >= _INTERVAL:
            self.last = now
            line = f"{self.worker} {counts.total} {counts.skipped} {counts.ran} {counts.failed}\n".encode()
            try:
                os.write(self.fd, line)
            except OSError:
                pass  # the parent is gone; the worker carries on

    def clear(self):
        pass


_counts = None
_output = None


def _make_output():
    if os.environ.get(_PIPE_ENV):
        return _WorkerReport(int(os.environ[_PIPE_ENV]))
    if os.environ.get("JUG_NO_PROGRESS") or not sys.stderr.isatty():
        return None
    return TerminalLine()


def _show(force=False):
    _output.show(_counts, min(_counts.total, _counts.skipped + _counts.ran), force)


@hookimpl
def jug_execute_started(total):
    global _counts, _output
    if _counts is None:
        _output = _make_output()
        if _output is None:
            return
        _counts = Counts()
    _counts.total = max(_counts.total, total)
    _show(force=True)


@hookimpl
def jug_tasks_skipped(tasks):
    if _counts is not None:
        _counts.skipped += len(tasks)
        _show()


@hookimpl
def jug_task_finished():
    if _counts is not None:
        _counts.ran += 1
        _show()


@hookimpl
def jug_task_failed():
    if _counts is not None:
        _counts.failed += 1
        _show(force=True)


@hookimpl
def jug_execute_finished():
    if _counts is not None:
        _show(force=True)
        _output.clear()


def wants_worker_progress():
    """True when `jug execute -j N` should collect and draw its workers' progress."""
    return not os.environ.get("JUG_NO_PROGRESS") and sys.stderr.isatty()


def follow_workers(procs, read_fd):
    """Draw the combined progress of -j workers until they all exit; returns their exit codes.

    Each worker reports snapshots of its own counts.  Done is what all of them
    ran plus what every one of them found done already (a worker also counts
    its siblings' results as found, so the smallest such count is used)."""
    line, latest, pending, closed = TerminalLine(), {}, b"", False
    while not closed:  # the pipe closes when every worker has exited...
        readable, _, _ = select.select([read_fd], [], [], _INTERVAL)
        if not readable and all(p.poll() is not None for p in procs):
            closed = True  # ...unless a task's own child process inherited it
        elif readable:
            chunk = os.read(read_fd, 65536)
            closed = not chunk
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                fields = raw.split()
                if len(fields) == 5:
                    latest[fields[0]] = Counts(*map(int, fields[1:]))
        if latest:
            combined = Counts(
                max(c.total for c in latest.values()), min(c.skipped for c in latest.values()),
                sum(c.ran for c in latest.values()), sum(c.failed for c in latest.values()),
            )
            line.show(combined, min(combined.total, combined.skipped + combined.ran), force=closed)
    line.clear()
    return [p.wait() for p in procs]
