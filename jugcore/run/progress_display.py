"""What a progress display of `jug execute` knows and says: counts, rate, elapsed time, ETA.

:class:`ProgressDisplay` is the ``show(done, total, ran, failed)`` / ``close()``
object of the ``jug_workers_progress`` hook, for one worker or the sum of
``-j N``'s.  Its subclasses write it somewhere (progress_terminal.py: a live
line; progress_log.py: lines in a batch log).  Long tasks must still read
well: a rate under one task a second is shown as time per task, and a
ticker thread redraws while a task runs, so elapsed time and ETA move.
"""
import threading
import time

__all__ = ["ProgressDisplay", "clock", "rate_text"]


def clock(seconds):
    """``1:02:03`` (hours:minutes:seconds), ``2d 1:02:03`` past a day."""
    whole = int(seconds + 0.5)
    days, whole = divmod(whole, 86400)
    text = f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{days}d {text}" if days else text


def rate_text(ran, elapsed):
    """Tasks a second, or time a task when that reads better (never ``0 tasks/s``)."""
    if ran == 0 or elapsed <= 0:
        return "no task finished yet"
    per_second = ran / elapsed
    if per_second >= 100:
        return f"{per_second:,.0f} tasks/s"
    if per_second >= 1:
        return f"{per_second:.1f} tasks/s"
    per_task = elapsed / ran
    if per_task < 60:
        return f"{per_task:.1f} s/task"
    if per_task < 3600:
        return f"{per_task / 60:.1f} min/task"
    return f"{per_task / 3600:.1f} h/task"


class ProgressDisplay:
    """The latest counts and when the run started; ``tick`` seconds (if any)
    between calls of :meth:`refresh` from a thread of its own.

    Counts come in two ways: :meth:`show` (the parent of -j workers) or, for a
    worker counting its own tasks, an object read when they are said
    (:meth:`read_from`: nothing to do per task, unless the display is ``live``
    and wants :meth:`changed` called)."""

    live = False  # redraws as tasks finish (call changed() for each)

    def __init__(self, tick=None):
        self.started = time.monotonic()
        self.done = self.total = self.ran = self.failed = 0
        self.counted = False  # there is something to say
        self._source = None
        self._stopped = threading.Event()
        self._ticker = None
        if tick:
            self._ticker = threading.Thread(target=self._tick, args=(tick,), name="jug-progress", daemon=True)
            self._ticker.start()

    def show(self, done, total, ran, failed):
        self.done, self.total, self.ran, self.failed = done, total, ran, failed
        self.counted = True
        self.changed()

    def read_from(self, counts):
        """Read ``counts.done``, ``.total``, ``.ran`` and ``.failed`` whenever they are said."""
        self._source = counts
        self.counted = True

    def changed(self):
        """The counts changed (called for every task: keep it cheap)."""

    def refresh(self):
        """Time passed (called by the ticker thread)."""

    def pass_done(self, number):
        """This worker finished its pass ``number`` over the jugfile's tasks (1, 2, ... per barrier)."""

    def close(self):
        """The run is over: stop the ticker, then :meth:`finish`."""
        self._stopped.set()
        if self._ticker is not None:
            self._ticker.join()
        self.finish()

    def finish(self):
        """Called once, last."""

    def _tick(self, seconds):
        while not self._stopped.wait(seconds):
            self.refresh()

    # --- the words ----------------------------------------------------------------------------
    def fields(self):
        """``45/100 done (45.0%), 3 failed, 1.5 tasks/s, elapsed 0:00:30, ETA 0:00:37``."""
        self._read()
        elapsed = time.monotonic() - self.started
        percent = 100.0 * self.done / self.total if self.total else 100.0
        return (f"{self.done}/{self.total} done ({percent:.1f}%), {self.failed} failed, "
                f"{rate_text(self.ran, elapsed)}, elapsed {clock(elapsed)}, ETA {self._eta(elapsed)}")

    def fraction(self):
        self._read()
        return self.done / self.total if self.total else 1.0

    def _read(self):
        source = self._source
        if source is not None:
            self.done, self.total, self.ran, self.failed = source.done, source.total, source.ran, source.failed

    def _eta(self, elapsed):
        """At the rate tasks ran so far, when the tasks neither done nor failed will be."""
        left = max(0, self.total - self.done - self.failed)
        if left == 0:
            return clock(0)
        if self.ran == 0:
            return "unknown"
        return clock(left * elapsed / self.ran)
