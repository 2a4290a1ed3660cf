"""The connection to the Redis server: first contact, reconnecting, and errors as one line.

Two clients share it: our own (resp.py) answers every question that only
reads, so that `jug status` never imports redis-py; redis-py (pyclient.py),
created on the first write, does the rest.  Both connect as the URL says
(dial.py) and fail alike (errors.py).

An unreachable server at start is an error at once (a worker must not sit
waiting for a server that was never there).  Once connected, a lost
connection (a restart, a network hiccup, a server too busy to answer) is
retried with back-off for ``retry`` seconds; a server that answers nothing
for ``timeout`` seconds counts as lost.  Every message names the server with
its password masked.
"""
import threading
import time

from jugcore.api import JugError, redact, warn

from jug_redis.errors import AuthRefused, ConnectionLost, NoReply, RedisProblem, ServerError
from jug_redis.resp import RespClient

__all__ = ["Connection", "counting_attempts", "warn"]

_FIRST_DELAY = 0.05
_LONGEST_DELAY = 2.0


class Connection:
    """Both clients, whose calls survive outages of up to ``url.retry`` seconds."""

    def __init__(self, url):
        self.url = url
        self.reader = RespClient(url)
        self._reader_mutex = threading.Lock()  # one socket: one request and its replies at a time
        self._client = None  # redis-py's, on first need
        self._given_up = None  # the JugError that ended our patience: later calls fail at once
        self._warned = False  # one warning per outage
        self._first_contact()

    @property
    def client(self):
        """The redis-py client (imported and created on first use)."""
        if self._client is None:
            from jug_redis.pyclient import open_client

            self._client = open_client(self.url)
        return self._client

    def _first_contact(self):
        try:
            self.reader.call(b"PING")
        except AuthRefused as e:
            raise JugError(self._auth_problem(e)) from None
        except ConnectionLost as e:
            raise JugError(f"cannot reach the Redis server at {self.url.display} ({self.scrub(e)}); "
                           "is redis-server running there, and is the address right?") from None
        except ServerError as e:
            raise JugError(f"the Redis server at {self.url.display} refused us: {self.scrub(e)}") from None

    def _auth_problem(self, error):
        if "password" in self.url.connection:
            return (f"the Redis server at {self.url.display} refused the user name or password "
                    f"({self.scrub(error)})")
        return (f"the Redis server at {self.url.display} wants a password: "
                "write redis://:PASSWORD@host:port/db (or redis://USER:PASSWORD@...)")

    def read(self, call, *args):
        """``call(reader, *args)`` on our own client, retried like :meth:`run`."""
        return self._retrying(self._read_once, call, args)

    def run(self, call, *args):
        """``call(client, *args)`` on the redis-py client, retried across lost
        connections; JugError when the server stays away longer than the retry budget."""
        return self._retrying(self._run_once, call, args)

    def try_once(self, call, *args):
        """``call(client, *args)``, or None if the server cannot be reached right now
        (for the heartbeat thread, which leaves waiting and reporting to the main thread)."""
        if self._given_up is not None:
            return None
        try:
            return self._run_once(call, args)
        except RedisProblem:
            return None

    def _read_once(self, call, args):
        with self._reader_mutex:
            return call(self.reader, *args)

    def _run_once(self, call, args):
        from jug_redis.pyclient import call_translated

        return call_translated(call, self.client, *args)

    def _retrying(self, once, call, args):
        if self._given_up is not None:
            raise self._given_up
        delay, deadline = _FIRST_DELAY, None
        while True:
            try:
                result = once(call, args)
                self._warned = False
                return result
            except AuthRefused as e:
                raise JugError(self._auth_problem(e)) from None
            except ConnectionLost as e:
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
            except ServerError as e:
                raise JugError(f"the Redis server at {self.url.display} refused a command: "
                               f"{self.scrub(e)}") from None

    def describe(self, error):
        if isinstance(error, NoReply):
            return (f"the Redis server at {self.url.display} did not answer within "
                    f"{self.url.timeout:g} s (add ?timeout=SECONDS to the URL to wait longer)")
        return f"lost the connection to the Redis server at {self.url.display} ({self.scrub(error)})"

    def scrub(self, error):
        """The error's text, with the password masked should it ever appear in it."""
        text = redact(str(error).strip() or type(error).__name__)
        password = self.url.connection.get("password")
        return text.replace(password, "***") if password else text

    def close(self):
        self.reader.close()
        if self._client is not None:
            self._client.close()


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

