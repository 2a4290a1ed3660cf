"""Progress on a terminal: one live line at the bottom, redrawn in place::

    jug: [#########-----------] 45/100 done (45.0%), 3 failed, 1.5 tasks/s, elapsed 0:00:30, ETA 0:00:37

Whatever else is written meanwhile (a task's ``print``, to stdout or stderr,
warnings, log records) goes above it: while the line is shown, ``sys.stdout``
(if it is a terminal too) and ``sys.stderr`` are wrappers that erase the line,
write the text, and draw the line again once the cursor is back at the start
of a line (never after half a line a task has printed).  Output that does not
go through them (a child process's, C code writing to the file descriptor)
is not managed.  The line is redrawn at most 5 times a second, and every
second while a task runs, so that elapsed time and ETA move.
"""
import os
import sys
import threading
import time

from jugcore.run.progress_display import ProgressDisplay

__all__ = ["TerminalProgress"]

_REDRAW = 0.2  # seconds between redraws for new counts
_TICK = 1.0  # seconds between redraws while nothing changes
_BAR = 20
_ERASE = "\r\x1b[K"


class TerminalProgress(ProgressDisplay):
    live = True
    output_above = True  # -j N: the parent passes the workers' output on through sys.stdout/err (worker_output)

    def __init__(self):
        self.terminal = sys.stderr
        self.lock = threading.RLock()  # the ticker thread draws too
        self.drawn = False  # the line is on the screen
        self.at_line_start = True  # nothing half-written above it: it may be drawn
        self.last = 0.0
        self._saved = sys.stdout, sys.stderr
        super().__init__(tick=_TICK)
        _Guarded.install(self)

    def changed(self):
        if time.monotonic() - self.last >= _REDRAW:
            self.draw()

    def refresh(self):
        self.draw()

    def finish(self):
        """Draw the latest counts (they may not have been yet), erase the line, give the streams back."""
        with self.lock:
            self.draw()
            self.erase()
            sys.stdout, sys.stderr = self._saved
            _Guarded.retarget_logging(self._saved)

    def draw(self):
        with self.lock:
            if not self.at_line_start or self.terminal is None or not self.counted:
                return
            self.last = time.monotonic()
            self.terminal.write(_ERASE + self._text())
            self.terminal.flush()
            self.drawn = True

    def erase(self):
        if self.drawn:
            self.drawn = False
            self.terminal.write(_ERASE)
            self.terminal.flush()

    def _text(self):
        filled = int(_BAR * self.fraction())
        text = f"jug: [{'#' * filled}{'-' * (_BAR - filled)}] {self.fields()}"
        try:
            width = os.get_terminal_size(self.terminal.fileno()).columns
        except (OSError, ValueError):
            return text
        # A line that wraps could not be redrawn in place.  (A new pty may say 0: unknown.)
        return text[:width - 1] if width > 1 else text

    def forget_in_child(self):
        """After fork: the child's writes go straight through (only the parent draws)."""
        self.lock = threading.RLock()
        self.terminal = None
        self.drawn = False


class _Guarded:
    """A text stream whose writes go above the live line."""

    _line = None  # the TerminalProgress shown, for os.register_at_fork

    def __init__(self, stream, line):
        self._stream = stream
        self._progress = line

    @classmethod
    def install(cls, line):
        if cls._line is None:
            os.register_at_fork(after_in_child=cls._forget_in_child)
        cls._line = line
        sys.stderr = cls(sys.stderr, line)
        if sys.stdout is not None and sys.stdout.isatty():
            sys.stdout = cls(sys.stdout, line)
        cls.retarget_logging(line._saved)

    @staticmethod
    def retarget_logging(old):
        """Log handlers made before the line (a jugfile's ``basicConfig``) write
        to the stream they were given: point those at the one now in place."""
        logging = sys.modules.get("logging")
        if logging is None:
            return
        now = {id(s): c for s, c in zip(old, (sys.stdout, sys.stderr))}
        loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        for logger in loggers:
            for handler in getattr(logger, "handlers", ()):
                stream = getattr(handler, "stream", None)
                if type(handler) is logging.StreamHandler and id(_unwrapped(stream)) in now:
                    handler.setStream(now[id(_unwrapped(stream))])

    @classmethod
    def _forget_in_child(cls):
        cls._line.forget_in_child()

    def write(self, text):
        line = self._progress
        if line.terminal is None:
            return self._stream.write(text)
        with line.lock:
            line.erase()
            written = self._stream.write(text)
            self._stream.flush()  # before the line is drawn again on the other stream
            if text:
                line.at_line_start = text.endswith("\n")
            if line.at_line_start:
                line.draw()
        return written

    def writelines(self, lines):
        for text in lines:
            self.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _unwrapped(stream):
    return stream._stream if isinstance(stream, _Guarded) else stream
