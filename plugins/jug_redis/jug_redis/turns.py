"""Turns on the one connection, taken in the order asked for.

The main thread and the heartbeat thread share one connection (client.py).
redis-py's pool lets the thread that just gave it back take it again at
once: a main thread asking question after question never let the heartbeat
renew its leases, and they lapsed (test_client.py).  A plain lock promises
no order either.  Here the thread giving the connection back hands it to
the longest waiter, so the heartbeat waits for one command of the main
thread at most (a streamed question, or a big value, is one command).
"""
import os
import threading
from collections import deque

__all__ = ["Turns"]


class Turns:
    """A lock, fair: ``with turns:`` waits for the holder and every earlier waiter."""

    def __init__(self):
        self._pid = os.getpid()
        self._mutex = threading.Lock()
        self._held = False
        self._waiting = deque()  # a locked Lock per waiter, released to hand it the turn

    def __enter__(self):
        if self._pid != os.getpid():  # forked while another thread had the turn: it is not in this process
            self.__init__()
        with self._mutex:
            if not self._held:
                self._held = True
                return self
            ticket = threading.Lock()
            ticket.acquire()
            self._waiting.append(ticket)
        ticket.acquire()  # until __exit__ hands us the turn (still held: it passes directly)
        return self

    def __exit__(self, *exc):
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._held = False
