"""The store's one Redis client: redis-py, imported when a Redis store opens.

One connection per process: a blocking pool of one, which the main thread
and the heartbeat thread take turns on (pipelines too; see turns.py), and
which a forked child replaces with its own (redis-py's pool checks the pid
on every use).  redis-py connects as the URL says (TCP, unix socket, TLS, user and password)
and never retries on its own: Connection (connection.py) does, within the
URL's time budget.
"""
from contextlib import contextmanager

import redis
from redis.backoff import NoBackoff
from redis.exceptions import ResponseError
from redis.retry import Retry

__all__ = ["open_client", "close_client", "held_connection", "pipelined"]


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
                                        retry=Retry(NoBackoff(), 0), **options, **settings)
    return redis.Redis(connection_pool=pool)


def close_client(client):
    client.connection_pool.disconnect()


@contextmanager
def held_connection(client):
    """The client's connection, for commands sent and replies read by hand;
    closed if anything goes wrong (replies may be left unread on it)."""
    pool = client.connection_pool
    connection = pool.get_connection()
    try:
        yield connection
    except BaseException:
        connection.disconnect()
        raise
    finally:
        pool.release(connection)


def pipelined(client, commands):
    """The replies to ``commands`` (packed: see wire.py), each sent as soon as the
    iterable yields it (the server works on the first while the caller makes the
    next), then read in order.  An error reply is raised once every reply was
    read, so the connection stays usable."""
    with held_connection(client) as connection:
        sent = 0
        for packed in commands:
            connection.send_packed_command([packed], check_health=False)
            sent += 1
        replies = []
        for _ in range(sent):
            try:
                replies.append(connection.read_response())
            except ResponseError as e:
                replies.append(e)
    for reply in replies:
        if isinstance(reply, ResponseError):
            raise reply
    return replies
