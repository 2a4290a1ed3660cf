"""Live progress of `jug execute` on a terminal: done / total, rate, failures.

Silent when stderr is not a terminal (logs, CI, pipes) or JUG_NO_PROGRESS is set.
"""
import os
import sys
import time

from jugcore.plugins import hookimpl

_INTERVAL = 0.2


class _Progress:
    def __init__(self):
        self.total = 0
        self.done = 0
        self.ran = 0
        self.failed = 0
        self.started = None
        self.last_draw = 0.0
        self.drawn = False

    def draw(self, force=False):
        now = time.monotonic()
        if not force and now - self.last_draw < _INTERVAL:
            return
        self.last_draw = now
        rate = self.ran / (now - self.started) if self.started and now > self.started else 0.0
        line = f"jug: {self.done}/{self.total} done, {rate:.0f} tasks/s, {self.failed} failed"
        sys.stderr.write("\r" + line + "\x1b[K")
        sys.stderr.flush()
        self.drawn = True

    def clear(self):
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


_progress = None


@hookimpl
def jug_execute_started(total):
    global _progress
    if os.environ.get("JUG_NO_PROGRESS") or not sys.stderr.isatty():
        return
    if _progress is None:
        _progress = _Progress()
        _progress.started = time.monotonic()
    _progress.total = max(_progress.total, total)
    _progress.draw(force=True)


@hookimpl
def jug_tasks_skipped(tasks):
    if _progress is not None:
        _progress.done += len(tasks)
        _progress.draw()


@hookimpl
def jug_task_finished():
    if _progress is not None:
        _progress.done += 1
        _progress.ran += 1
        _progress.draw()


@hookimpl
def jug_task_failed():
    if _progress is not None:
        _progress.failed += 1
        _progress.draw(force=True)


@hookimpl
def jug_execute_finished():
    if _progress is not None:
        _progress.clear()
