"""Our own Redis client, RESP2 on one socket: what reading the store needs.

Importing redis-py costs every command a tenth of a second or more (it
brings asyncio, cluster and sentinel support, ...); `jug status`, `jug check`
and a `jug execute` with nothing to do only ask questions, and ask them here.
Writes and locks go through redis-py (pyclient.py).

Commands may be pipelined (:meth:`RespClient.pipeline`: all sent, then all
replies read); an error reply becomes one of errors.py's exceptions, with
the text redis-py gives it.  Bulk replies of ``_READ_INTO_FROM`` bytes or
more are read straight from the socket into one bytearray: no copies of a
200 MB result, and a numpy array can use the buffer as it is.
"""
import os
import socket

from jug_redis.dial import address_of, dial
from jug_redis.errors import AuthRefused, ConnectionLost, NoReply, NoScript, RedisProblem, ServerError
from jug_redis.wire import pack

__all__ = ["RespClient", "command"]

_READ_INTO_FROM = 1 << 20
_CHUNK = 4 << 20
# Error codes redis-py strips from the text it shows; we show the same text.
_CODES_NOT_SHOWN = frozenset(["ERR", "WRONGPASS", "NOAUTH", "NOPERM", "NOSCRIPT", "LOADING", "READONLY", "OOM",
                              "EXECABORT", "MASTERDOWN"])


def command(*args):
    """One command, packed (arguments: bytes, str or numbers)."""
    return pack([arg if isinstance(arg, bytes) else str(arg).encode() for arg in args], ())


class RespClient:
    """One connection, opened on first use and again after it was lost (the
    caller decides whether to retry: see Connection)."""

    def __init__(self, url):
        self.url = url
        self._sock = None
        self._file = None
        self._pid = None

    def call(self, *args):
        return self.pipeline([command(*args)])[0]

    def pipeline(self, commands):
        """The replies to packed ``commands``, sent together (a list), or each as
        soon as it is made (any other iterable: the server works on the first
        while the caller makes the next).  An error reply is raised once every
        reply was read (the connection stays usable)."""
        self._connect_if_needed()
        if isinstance(commands, (list, tuple)):
            replies = self._exchange(b"".join(commands), len(commands))
        else:
            replies = self._exchange_streamed(commands)
        for reply in replies:
            if isinstance(reply, RedisProblem):
                raise reply
        return replies

    def scan(self, pattern, count):
        """Every key name matching ``pattern`` (SCAN: the server never blocks on it)."""
        names, cursor = [], b"0"
        while True:
            cursor, batch = self.call(b"SCAN", cursor, b"MATCH", pattern, b"COUNT", count)
            names += batch
            if cursor == b"0":
                return names

    def close(self):
        if self._sock is not None:
            self._file.close()
            self._sock.close()
            self._sock = self._file = None

    # --- the socket -----------------------------------------------------------------
    def _connect_if_needed(self):
        if self._sock is not None and self._pid == os.getpid():
            return
        self.close()  # a forked child must not read replies meant for its parent: it opens its own
        sock = dial(self.url)
        self._sock, self._file, self._pid = sock, sock.makefile("rb", buffering=1 << 16), os.getpid()
        handshake, authenticating = self._handshake()
        if not handshake:
            return
        try:
            for i, reply in enumerate(self._exchange(b"".join(handshake), len(handshake))):
                if type(reply) is ServerError and i == 0 and authenticating:
                    raise AuthRefused(str(reply))  # whatever AUTH answers, it means: not these credentials
                if isinstance(reply, RedisProblem):
                    raise reply
        except BaseException:
            self.close()
            raise

    def _exchange(self, data, count):
        def send_all_at_once():
            self._sock.sendall(data)
            return count

        return self._talk(send_all_at_once)

    def _exchange_streamed(self, commands):
        def send_each():
            sent = 0
            for packed in commands:
                self._sock.sendall(packed)
                sent += 1
            return sent

        return self._talk(send_each)

    def _talk(self, send):
        """Run ``send`` (which returns how many commands it sent), then read that
        many replies."""
        try:
            count = send()
            return [self._reply() for _ in range(count)]
        except BaseException as e:
            self.close()  # replies may be left unread on it
            if isinstance(e, OSError):
                raise _lost(self.url, e) from None
            raise

    def _handshake(self):
        """(the commands that start every connection, whether the first is AUTH)."""
        settings = self.url.connection
        commands = []
        if "password" in settings:
            # Always with a user name, as redis-py does: a password given to a server
            # that has none is then accepted by both clients
            commands.append(command(b"AUTH", settings.get("username", "default"), settings["password"]))
        if settings.get("db"):
            commands.append(command(b"SELECT", settings["db"]))
        return commands, "password" in settings

    def _reply(self):
        line = self._file.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionLost("Connection closed by server.")
        kind, body = line[:1], line[1:-2]
        if kind == b"$":
            return self._bulk(int(body))
        if kind == b":":
            return int(body)
        if kind == b"*":
            size = int(body)
            return None if size < 0 else [self._reply() for _ in range(size)]
        if kind == b"+":
            return body
        if kind == b"-":
            return _server_error(body.decode(errors="replace"))
        raise ConnectionLost(f"Protocol error: unexpected reply {line[:40]!r}")

    def _bulk(self, size):
        if size < 0:
            return None
        if size < _READ_INTO_FROM:
            data = self._file.read(size + 2)
            if len(data) < size + 2:
                raise ConnectionLost("Connection closed by server.")
            return data[:-2]
        buffer = bytearray(size)
        with memoryview(buffer) as view:
            got = 0
            while got < size:
                n = self._file.readinto(view[got:got + _CHUNK])
                if not n:
                    raise ConnectionLost("Connection closed by server.")
                got += n
        if self._file.read(2) != b"\r\n":
            raise ConnectionLost("Connection closed by server.")
        return buffer


def _server_error(text):
    code, _, rest = text.partition(" ")
    shown = rest if code in _CODES_NOT_SHOWN else text
    if code in ("WRONGPASS", "NOAUTH"):
        return AuthRefused(shown)
    if code == "NOSCRIPT":
        return NoScript(shown)
    if code == "LOADING" or shown == "max number of clients reached":  # retried, as redis-py's ConnectionError
        return ConnectionLost(shown)
    return ServerError(shown)


def _lost(url, error):
    if isinstance(error, socket.timeout):
        return NoReply("Timeout reading from socket")
    return ConnectionLost(f"Error {error.errno} while talking to {address_of(url)}. {error.strerror or error}.")
