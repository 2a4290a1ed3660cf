"""The connection to the Redis server: first contact, reconnecting, and errors as one line.

Every command goes through one redis-py client (client.py), created when the
store opens.  An unreachable server at start is an error at once (a worker
must not sit waiting for a server that was never there).  Once connected, a
lost connection (a restart, a network hiccup, a server too busy to answer or
still loading its data) is retried with back-off for ``retry`` seconds; a
server that answers nothing for ``timeout`` seconds counts as lost.  Every
message names the server with its password masked.
"""
import logging  # redis-py imports it anyway
import time

from redis.exceptions import AuthenticationError, ConnectionError, RedisError, ResponseError, TimeoutError

from jugcore.api import JugError, redact, warn

from jug_redis.client import close_client, open_client
from jug_redis.turns import Turns

__all__ = ["Connection", "counting_attempts", "warn"]

_FIRST_DELAY = 0.05
_LONGEST_DELAY = 2.0
_LOST = (ConnectionError, TimeoutError)  # worth retrying (AuthenticationError is a ConnectionError: caught first)
_log = logging.getLogger("jug.store")  # reconnects, for `jug execute --verbose info`


class Connection:
    """The client, whose calls survive outages of up to ``url.retry`` seconds."""

    def __init__(self, url):
        self.url = url
        self.client = open_client(url)
        self._turns = Turns()  # the main thread's and the heartbeat's, on the one connection
        self._given_up = None  # the JugError that ended our patience: later calls fail at once
        self._warned = False  # one warning per outage
        self._first_contact()

    def _first_contact(self):
        try:
            self.client.ping()
        except AuthenticationError as e:
            raise JugError(self._auth_problem(e)) from None
        except _LOST as e:
            raise JugError(f"cannot reach the Redis server at {self.url.display} ({self.scrub(e)}); "
                           "is redis-server running there, and is the address right?") from None
        except ResponseError as e:
            raise JugError(f"the Redis server at {self.url.display} refused us: {self.scrub(e)}") from None

    def _auth_problem(self, error):
        if "password" in self.url.connection:
            return (f"the Redis server at {self.url.display} refused the user name or password "
                    f"({self.scrub(error)})")
        return (f"the Redis server at {self.url.display} wants a password: "
                "write redis://:PASSWORD@host:port/db (or redis://USER:PASSWORD@...)")

    def run(self, call, *args):
        """``call(client, *args)``, retried across lost connections; JugError when
        the server stays away longer than the retry budget."""
        if self._given_up is not None:
            raise self._given_up
        delay, deadline = _FIRST_DELAY, None
        while True:
            try:
                with self._turns:
                    result = call(self.client, *args)
                if deadline is not None:
                    _log.info("reconnected to the Redis server at %s after %.1f s",
                              self.url.display, time.monotonic() - deadline + self.url.retry)
                self._warned = False
                return result
            except AuthenticationError as e:
                raise JugError(self._auth_problem(e)) from None
            except _LOST as e:
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self.url.retry
                    if not self._warned:
                        self._warned = True
                        warn(f"{self.describe(e)}; reconnecting for up to {self.url.retry:g} s")
                if now >= deadline:
                    self._given_up = JugError(
                        f"{self.describe(e)}; gave up after {self.url.retry:g} s of reconnecting "
                        "(add ?retry=SECONDS to the URL to wait longer)")
                    raise self._given_up from None
                time.sleep(min(delay, deadline - now))
                delay = min(delay * 2, _LONGEST_DELAY)
            except ResponseError as e:
                raise JugError(f"the Redis server at {self.url.display} refused a command: "
                               f"{self.scrub(e)}") from None

    def try_once(self, call, *args):
        """``call(client, *args)``, or None if the server cannot be reached right now
        (for the heartbeat thread, which leaves waiting and reporting to the main thread)."""
        if self._given_up is not None:
            return None
        try:
            with self._turns:
                return call(self.client, *args)
        except RedisError:
            return None

    def describe(self, error):
        if isinstance(error, TimeoutError):
            return (f"the Redis server at {self.url.display} did not answer within "
                    f"{self.url.timeout:g} s (add ?timeout=SECONDS to the URL to wait longer)")
        return f"lost the connection to the Redis server at {self.url.display} ({self.scrub(error)})"

    def scrub(self, error):
        """The error's text, with the password masked should it ever appear in it."""
        text = redact(str(error).strip() or type(error).__name__)
        password = self.url.connection.get("password")
        return text.replace(password, "***") if password else text

    def close(self):
        close_client(self.client)


def counting_attempts(run, call, *args):
    """(``run(call, *args)``, whether ``call`` was sent more than once): ``run`` is
    :meth:`Connection.run` or :meth:`~Connection.try_once`.  After a retry, the
    first attempt may have been applied, its reply lost."""
    attempts = 0

    def counted(client, *args):
        nonlocal attempts
        attempts += 1
        return call(client, *args)

    return run(counted, *args), attempts > 1
