"""Who we are in a lease, and the heartbeat that keeps our leases alive.

A lease's text is ``TOKEN SINCE LEASE_MS HOST PID STARTED``: the token (random,
one per process) decides whether a lock is ours; the rest is for people
(`jug status`).  The heartbeat is one daemon thread per process: every third
of the lease it renews all the leases the process holds in one round trip,
and it sends finished tasks' results that would otherwise wait for the next
claim (see claims.py).
"""
import os
import threading
import time

from jugcore.api import HOSTNAME as _HOST

__all__ = ["Owner", "Heartbeat", "describe_lease", "holder_of"]

_STARTED = time.time()


class Owner:
    """This process as lease holder; a forked child becomes another owner."""

    def __init__(self):
        self.token = os.urandom(8).hex()
        self.pid = os.getpid()

    def current(self):
        if os.getpid() != self.pid:  # forked: the child must not pass for its parent
            self.__init__()
        return self

    def lease_text(self, lease_ms):
        return f"{self.token} {time.time():.3f} {lease_ms} {_HOST} {self.pid} {_STARTED:.0f}"


def holder_of(text):
    """``HOST:PID`` of the worker a lease's text names, for messages; "" if none."""
    fields = text.split() if text else []
    return f"{fields[3]}:{fields[4]}" if len(fields) >= 6 else ""


def describe_lease(text, pttl_ms):
    """(owner for people, since, last heartbeat) from a lease's text and time left."""
    fields = text.split() if text else []
    if len(fields) < 6:
        return ("a worker without a lease (Jug 2.7?)", None, None)
    since, lease_ms = float(fields[1]), int(fields[2])
    heartbeat = time.time() - (lease_ms - pttl_ms) / 1000 if pttl_ms >= 0 else None
    return (f"{fields[3]} pid {fields[4]}", since, heartbeat)


class Heartbeat(threading.Thread):
    """Calls ``beat()`` every ``interval`` seconds, and ``flush()`` ``delay``
    seconds after :meth:`flush_soon`, until :meth:`stop`."""

    def __init__(self, beat, interval, flush, delay):
        super().__init__(name="jug-redis-heartbeat", daemon=True)
        self._beat, self._interval = beat, interval
        self._flush, self._delay = flush, delay
        self._wake = threading.Condition()
        self._flush_due = None
        self._stopping = False

    def run(self):
        next_beat = time.monotonic() + self._interval
        while True:
            with self._wake:
                now = self._wait_until_due(next_beat)
                if self._stopping:
                    return
                flush = self._flush_due is not None and now >= self._flush_due
                if flush:
                    self._flush_due = None
            if flush:
                self._flush()
            if now >= next_beat:
                self._beat()
                next_beat = time.monotonic() + self._interval

    def _wait_until_due(self, next_beat):
        while not self._stopping:
            now = time.monotonic()
            due = next_beat if self._flush_due is None else min(next_beat, self._flush_due)
            if now >= due:
                return now
            self._wake.wait(due - now)
        return time.monotonic()

    def flush_soon(self):
        with self._wake:
            if self._flush_due is None:
                self._flush_due = time.monotonic() + self._delay
                self._wake.notify()

    def stop(self):
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout=10)
