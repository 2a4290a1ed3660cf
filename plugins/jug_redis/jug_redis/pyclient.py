"""redis-py, for everything that writes or takes locks: imported on first need.

Its errors are translated into ours (errors.py), so that Connection retries
and words them as it does those of our own client.
"""
import redis
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, ConnectionError, ResponseError, TimeoutError
from redis.retry import Retry

from jug_redis.errors import AuthRefused, ConnectionLost, NoReply, ServerError

__all__ = ["open_client", "call_translated"]


def open_client(url):
    """A redis.Redis for ``url``, with the timeouts our own client has (dial.py)."""
    return redis.Redis(**url.connection, socket_timeout=url.timeout, socket_connect_timeout=url.connect_timeout,
                       retry=Retry(NoBackoff(), 0))  # Connection retries, within its time budget


def call_translated(call, client, *args):
    """``call(client, *args)``, with redis-py's errors raised as ours."""
    try:
        return call(client, *args)
    except AuthenticationError as e:  # a ConnectionError to redis-py: before it
        raise AuthRefused(str(e)) from None
    except TimeoutError as e:
        raise NoReply(str(e)) from None
    except ConnectionError as e:
        raise ConnectionLost(str(e)) from None
    except ResponseError as e:
        raise ServerError(str(e)) from None
