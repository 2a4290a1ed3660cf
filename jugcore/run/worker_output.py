"""What `jug execute -j N`'s workers print, passed on by the parent a whole line
at a time, when the progress display wants it above itself (``output_above``).

Without this, the workers would write to the terminal straight, into the
parent's live line.  Only the parent's streams that are terminals are relayed:
a stdout redirected to a file is the workers' own, as before.
"""
import os
import sys

__all__ = ["OutputRelay"]


class OutputRelay:
    """Pipes for the workers' stdout/stderr, and what came through them."""

    def __init__(self, display):
        self.targets = {}  # read end -> the name of the parent's stream it goes to
        self._pending = {}  # read end -> the start of a line not yet passed on
        self._worker_ends = []
        self._relayed = []
        if getattr(display, "output_above", False):
            self._relayed = [name for name in ("stdout", "stderr")
                             if getattr(sys, name) is not None and getattr(sys, name).isatty()]

    def worker_ends(self):
        """Popen's stdout/stderr for one more worker: pipes of its own (two workers
        writing pieces of lines into one pipe would mix them)."""
        ends = {}
        for name in self._relayed:
            read_end, write_end = os.pipe()
            self.targets[read_end] = name
            self._pending[read_end] = b""
            self._worker_ends.append(write_end)
            ends[name] = write_end
        return ends

    def started(self):
        """The workers hold their ends now: let go of ours, so that the pipes close when they exit."""
        for fd in self._worker_ends:
            os.close(fd)
        self._worker_ends = []

    def fds(self):
        return list(self._pending)

    def read(self, fd):
        """Pass on the whole lines now in ``fd``; at its end, the rest too."""
        chunk = os.read(fd, 65536)
        if not chunk:
            self._write(fd, self._pending.pop(fd), end=True)
            os.close(fd)
            return
        *lines, self._pending[fd] = (self._pending[fd] + chunk).split(b"\n")
        if lines:
            self._write(fd, b"\n".join(lines) + b"\n")

    def close(self):
        """Pass on what is left (a worker's child may still hold a pipe open)."""
        for fd in list(self._pending):
            self._write(fd, self._pending.pop(fd), end=True)
            os.close(fd)

    def _write(self, fd, data, end=False):
        if data:
            stream = getattr(sys, self.targets[fd])  # now: the display's wrapper
            stream.write(data.decode(errors="replace") + ("\n" if end and not data.endswith(b"\n") else ""))
            stream.flush()
