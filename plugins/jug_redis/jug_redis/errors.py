"""What can go wrong talking to the Redis server, whichever client talks.

Our RESP client raises these; redis-py's errors are translated into them
(pyclient.py), so that Connection retries and reports both alike.
"""

__all__ = ["RedisProblem", "ConnectionLost", "NoReply", "ServerError", "AuthRefused", "NoScript"]


class RedisProblem(Exception):
    pass


class ConnectionLost(RedisProblem):
    """No usable connection (refused, reset, closed, a server still loading its data): worth retrying."""


class NoReply(ConnectionLost):
    """The server did not answer in time."""


class ServerError(RedisProblem):
    """The server answered a command with an error."""


class AuthRefused(ServerError):
    """The server wants a password, or refused the one we gave."""


class NoScript(ServerError):
    """EVALSHA of a script the server does not have (a restart empties its script cache)."""
