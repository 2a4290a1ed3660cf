"""Reading large values fast: straight from a socket into one buffer.

redis-py's pure-Python reply parser copies a bulk reply several times; for
a 200 MB result that costs seconds.  A value of ``LARGE`` bytes or more is
read instead on a short-lived connection of its own: one GET, the reply read
with ``recv_into`` into a bytearray (which a numpy array can then use without
a copy).  TCP and unix sockets only; over TLS we leave it to redis-py.
"""
import socket

__all__ = ["LARGE", "can_read_directly", "read_directly"]

LARGE = 4 << 20
_CHUNK = 4 << 20


def can_read_directly(url):
    return not url.connection.get("ssl")


def read_directly(url, name):
    """The value of key ``name`` (a bytearray), or None if it has none.  Socket
    errors come as redis-py's ConnectionError or TimeoutError, so that callers
    retry them like any other call."""
    from redis.exceptions import ConnectionError, TimeoutError

    try:
        return _read(url, name)
    except socket.timeout as e:
        raise TimeoutError(str(e)) from None
    except OSError as e:
        raise ConnectionError(str(e)) from None


def _read(url, name):
    from redis.exceptions import ConnectionError, ResponseError

    with _connect(url) as sock:
        reader = sock.makefile("rb", buffering=1 << 16)
        connection = url.connection
        setup = []
        if "password" in connection:
            setup.append(("AUTH", connection["username"], connection["password"]) if "username" in connection
                         else ("AUTH", connection["password"]))
        if connection.get("db"):
            setup.append(("SELECT", str(connection["db"])))
        sock.sendall(b"".join(_command(*args) for args in setup + [("GET", name)]))
        for _ in setup:
            line = reader.readline()
            if not line.startswith(b"+"):
                raise ResponseError(line.decode(errors="replace").strip().lstrip("-"))
        header = reader.readline()
        if header.startswith(b"-"):
            raise ResponseError(header[1:].decode(errors="replace").strip())
        if not header.startswith(b"$"):
            raise ConnectionError("unexpected reply to GET")
        size = int(header[1:])
        if size < 0:
            return None
        buffer = bytearray(size)
        view = memoryview(buffer)
        got = 0
        while got < size:
            n = reader.readinto(view[got:got + _CHUNK])
            if not n:
                raise ConnectionError("the connection closed in the middle of a value")
            got += n
        return buffer


def _connect(url):
    connection = url.connection
    if "unix_socket_path" in connection:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(url.timeout)
        sock.connect(connection["unix_socket_path"])
        return sock
    sock = socket.create_connection((connection["host"], connection["port"]), timeout=url.timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _command(*args):
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)
