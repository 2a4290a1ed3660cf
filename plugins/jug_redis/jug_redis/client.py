"""The store's one Redis client: redis-py, imported when a Redis store opens.

One connection per process: a blocking pool of one, which the main thread
and the heartbeat thread take turns on (pipelines too; see turns.py), and
which a forked child replaces with its own (redis-py's pool checks the pid
on every use).
redis-py connects as the URL says (TCP, unix socket, TLS, user and password)
and never retries on its own: Connection (connection.py) does, within the
URL's time budget.
"""
import redis
from redis.backoff import NoBackoff
from redis.exceptions import ResponseError
from redis.retry import Retry

__all__ = ["open_client", "close_client", "pipelined"]

# redis-py reads replies into its buffer this many bytes per recv(): at its
# default (64 KiB), a 1 MiB chunk of a big value (values.py) takes 16 calls
# and reading 200 MB costs 0.57 s instead of 0.31 s.
_READ_SIZE = 1 << 20


def open_client(url):
    """A redis.Redis for ``url``; it connects on its first command."""
    settings = dict(url.connection)
    options = {}
    if "unix_socket_path" in settings:
        options.update(connection_class=redis.UnixDomainSocketConnection, path=settings.pop("unix_socket_path"))
    elif settings.pop("ssl", False):
        options.update(connection_class=redis.SSLConnection)
    # Never waited for (Connection hands out turns on it); the timeout turns a bug's deadlock into an error
    pool = redis.BlockingConnectionPool(max_connections=1, timeout=url.timeout + url.connect_timeout,
                                        socket_timeout=url.timeout, socket_connect_timeout=url.connect_timeout,
                                        socket_read_size=_READ_SIZE, retry=Retry(NoBackoff(), 0),
                                        **options, **settings)
    return redis.Redis(connection_pool=pool)


def close_client(client):
    client.connection_pool.disconnect()


def pipelined(client, commands, each=None):
    """The replies to ``commands`` (packed: see wire.py), each sent as soon as the
    iterable yields it (the server works on the first while the caller makes the
    next), then read in order: a list, of ``each(index, reply)`` if given (which
    can copy a reply away and keep None in its place).  An error reply is raised
    once every reply was read, so the connection stays usable."""
    pool = client.connection_pool
    connection = pool.get_connection()
    try:
        sent = 0
        for packed in commands:
            connection.send_packed_command([packed], check_health=False)
            sent += 1
        replies, error = [], None
        for i in range(sent):
            try:
                reply = connection.read_response()
            except ResponseError as e:
                error = error or e
                reply = e
            replies.append(reply if each is None or isinstance(reply, ResponseError) else each(i, reply))
    except BaseException:
        connection.disconnect()  # replies may be left unread on it
        raise
    finally:
        pool.release(connection)
    if error is not None:
        raise error
    return replies
