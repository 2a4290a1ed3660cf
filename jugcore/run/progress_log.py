"""Progress for batch logs (stderr not a terminal): one plain line every
``interval`` seconds, even while a long task runs, and one at the end of each
pass (or, for `-j N`'s parent, once every worker has exited)::

    jug: 2026-12-06 20:40:01 progress: 6/11 done (54.5%), 1 failed, 12.0 tasks/s, elapsed 0:00:01, ETA 0:00:00
    jug: 2026-12-06 20:41:09 pass 1 done: 10/11 done (90.9%), 1 failed, 0.1 tasks/s, elapsed 0:01:09, ETA 0:00:00

No carriage returns, no escape sequences: each line is whole, with the date,
so that ``grep progress`` of a log tells how far a run got and when.
"""
import sys
import threading
import time

from jugcore.run.progress_display import ProgressDisplay

__all__ = ["LogProgress"]


class LogProgress(ProgressDisplay):
    def __init__(self, interval, final_label=None):
        """``final_label``: the line :meth:`close` writes (``workers done``), if any."""
        self._lock = threading.Lock()  # the ticker's lines and the main thread's never mix
        self._final_label = final_label
        super().__init__(tick=interval)

    def refresh(self):
        if self.counted:
            self._write("progress")

    def pass_done(self, number):
        self._write(f"pass {number} done")

    def finish(self):
        if self._final_label and self.counted:
            self._write(self._final_label)

    def _write(self, label):
        line = f"jug: {time.strftime('%Y-%m-%d %H:%M:%S')} {label}: {self.fields()}\n"
        with self._lock:
            stream = sys.stderr
            stream.write(line)
            stream.flush()
