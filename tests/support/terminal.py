"""A program on a pseudo-terminal, driven as a person at a terminal would: the
test types lines and reads what the screen shows, escape sequences removed
(``screen``), or the lines a terminal would keep (``lines()``: carriage
returns and erased lines applied).

POSIX only (pty, termios): the tests of `jug shell` and of the progress line use it."""
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time

_ESCAPE = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
_CURSOR_POSITION_REQUEST = b"\x1b[6n"


class PtySession:
    """``argv`` running on a pty of 200 columns; :meth:`expect` waits for a regex
    in the output not yet consumed, :meth:`type` sends a line."""

    def __init__(self, argv, cwd, env):
        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes the program
            try:
                os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        self.screen = ""  # everything shown so far, without escape sequences
        self.raw = b""  # everything shown so far, as sent
        self._consumed = 0
        self.returncode = None

    def _read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed the terminal
            data = b""
        self.raw += data
        if _CURSOR_POSITION_REQUEST in data:  # answer as a terminal would (prompt_toolkit asks)
            os.write(self.fd, b"\x1b[1;1R")
        self.screen += _ESCAPE.sub(b"", data).decode("utf-8", "replace").replace("\r", "")
        return bool(data)

    def expect(self, pattern, timeout=60):
        """The match of ``pattern`` in the output after the previous match; fails
        the test, showing the output, after ``timeout`` s or when the program ends."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.screen, self._consumed)
            if match:
                self._consumed = match.end()
                return match
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} within {timeout} s; the screen:\n{self.screen}"
            assert self._read(min(left, 0.5)), f"the program ended before {pattern!r}; the screen:\n{self.screen}"

    def lines(self):
        """The lines a terminal shows for the output so far (see :func:`rendered`)."""
        return rendered(self.raw.decode("utf-8", "replace"))

    def type(self, line):
        os.write(self.fd, line.encode() + b"\r")

    def wait(self, timeout=60):
        """Its exit code, once it exits (reading its output meanwhile)."""
        deadline = time.monotonic() + timeout
        while self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
                break
            assert time.monotonic() < deadline, f"still running after {timeout} s; the screen:\n{self.screen}"
            self._read(0.05)
        return self.returncode

    def close(self):
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.returncode = -signal.SIGKILL
        os.close(self.fd)


_CONTROL = re.compile(r"\r|\n|\x1b\[K|\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")


def rendered(text):
    """The lines of ``text`` as a terminal leaves them: ``\\r`` moves to the start of
    the line, ``ESC [ K`` erases from there to its end, other escapes are
    ignored; the last element is the line the cursor is on."""
    lines, line, column = [], "", 0
    position = 0
    for match in _CONTROL.finditer(text + "\r"):  # a sentinel flushes the last piece
        piece = text[position:match.start()]
        line = line[:column] + piece + line[column + len(piece):]
        column += len(piece)
        code = match.group()
        if code == "\r":
            column = 0
        elif code == "\n":
            lines.append(line)
            line, column = "", 0
        elif code == "\x1b[K":
            line = line[:column]
        position = match.end()
    return lines + [line]
