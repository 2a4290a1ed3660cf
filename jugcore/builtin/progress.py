"""Progress of `jug execute`: done / total, failed, rate, elapsed time and ETA.

On a terminal, one live line with a bar (jugcore.run.progress_terminal);
anything else written meanwhile goes above it.  Otherwise (a batch log, CI,
a pipe) a plain line every ``[execute] progress-interval`` seconds (default
60; 0 for none) and at the end of each pass (jugcore.run.progress_log).
``JUG_NO_PROGRESS=1`` turns both off.  Under `jug execute -j N` the workers
show nothing: the parent shows their sum, on the display this plugin offers
through ``jug_workers_progress``.
"""
import os
import sys

from jugcore.app import get_setting
from jugcore.errors import JugError
from jugcore.plugins import hookimpl

_INTERVAL_KEY = "execute.progress-interval"


@hookimpl
def jug_add_settings(settings):
    settings.add("execute", "progress-interval", type=float, default=60.0,
                 help="Seconds between progress lines when stderr is not a terminal (a batch log); 0: none.")


def _display(final_label=None):
    """The display for this process's stderr, or None."""
    if os.environ.get("JUG_NO_PROGRESS"):
        return None
    if sys.stderr.isatty():
        from jugcore.run.progress_terminal import TerminalProgress

        return TerminalProgress()
    interval = get_setting(_INTERVAL_KEY)
    if interval is None or interval < 0:
        raise JugError(f"{_INTERVAL_KEY} is {interval}: give the seconds between progress lines, or 0 for none")
    if interval == 0:
        return None
    from jugcore.run.progress_log import LogProgress

    return LogProgress(interval, final_label)


class Counts:
    """One worker's counts, which its display reads when it writes them (the
    per-task hooks only count; a live display is told, to redraw)."""

    __slots__ = ("display", "news", "total", "skipped", "ran", "failed", "passes")

    def __init__(self, display):
        self.display = display
        self.news = display.changed if display.live else None
        self.total = self.skipped = self.ran = self.failed = self.passes = 0
        display.read_from(self)

    @property
    def done(self):
        return min(self.total, self.skipped + self.ran)

    def changed(self):
        if self.news is not None:
            self.news()


_counts = None  # None: not decided yet; False: nothing to show


@hookimpl
def jug_execute_started(total, workers):
    global _counts
    if _counts is None:
        display = _display() if workers == 1 else None
        _counts = Counts(display) if display is not None else False
    if _counts:
        if _counts.passes:
            _counts.display.pass_done(_counts.passes)
        _counts.passes += 1
        _counts.total = max(_counts.total, total)
        _counts.changed()


@hookimpl
def jug_tasks_skipped(tasks):
    if _counts:
        _counts.skipped += len(tasks)
        _counts.changed()


@hookimpl
def jug_task_finished():
    if _counts:
        _counts.ran += 1
        if _counts.news is not None:
            _counts.news()


@hookimpl
def jug_task_failed():
    if _counts:
        _counts.failed += 1
        _counts.changed()


@hookimpl
def jug_execute_finished():
    if _counts:
        _counts.display.pass_done(_counts.passes)
        _counts.display.close()


@hookimpl
def jug_workers_progress():
    """The parent of -j workers shows their sum where one worker would show its own."""
    return _display(final_label="workers done")
