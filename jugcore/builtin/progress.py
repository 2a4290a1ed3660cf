"""Live progress of `jug execute` on a terminal: done / total, rate, failures.

Silent when stderr is not a terminal (logs, CI, pipes) or JUG_NO_PROGRESS is
set.  Under `jug execute -j N` the workers draw nothing: the parent draws one
line for all, the display this plugin offers through ``jug_workers_progress``.
"""
import os
import sys
import time

from jugcore.plugins import hookimpl

_INTERVAL = 0.2


class Counts:
    __slots__ = ("total", "skipped", "ran", "failed")

    def __init__(self):
        self.total = self.skipped = self.ran = self.failed = 0

    @property
    def done(self):
        return min(self.total, self.skipped + self.ran)


class TerminalLine:
    """Draws counts on one self-overwriting stderr line, at most 5 times a second."""

    def __init__(self):
        self.started = time.monotonic()
        self.last = 0.0
        self.latest = None
        self.drawn = False

    def show(self, done, total, ran, failed, force=False):
        self.latest = (done, total, ran, failed)
        now = time.monotonic()
        if force or now - self.last >= _INTERVAL:
            self._draw(now)

    def close(self):
        """Draw the latest counts (they may not have been), then clear the line."""
        if self.latest is not None:
            self._draw(time.monotonic())
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    def _draw(self, now):
        self.last = now
        done, total, ran, failed = self.latest
        rate = ran / (now - self.started) if now > self.started else 0.0
        sys.stderr.write(f"\rjug: {done}/{total} done, {rate:.0f} tasks/s, {failed} failed\x1b[K")
        sys.stderr.flush()
        self.drawn = True


def _on_a_terminal():
    return not os.environ.get("JUG_NO_PROGRESS") and sys.stderr.isatty()


_counts = None
_line = None


def _show(force=False):
    _line.show(_counts.done, _counts.total, _counts.ran, _counts.failed, force)


@hookimpl
def jug_execute_started(total, workers):
    global _counts, _line
    if _counts is None:
        if workers > 1 or not _on_a_terminal():
            return
        _counts, _line = Counts(), TerminalLine()
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
        _show()
        _line.close()


@hookimpl
def jug_workers_progress():
    """The parent of -j workers draws their combined counts where it would draw its own."""
    return TerminalLine() if _on_a_terminal() else None
