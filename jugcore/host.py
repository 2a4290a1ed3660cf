"""This machine's name, as every lock owner and failure record spells it."""
import os

__all__ = ["HOSTNAME"]


def _hostname():
    if hasattr(os, "uname"):
        return os.uname().nodename  # what socket.gethostname() says, without importing socket
    import socket  # 8 ms: only where os.uname is missing

    return socket.gethostname()


HOSTNAME = _hostname()
