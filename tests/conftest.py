"""Fixtures shared by the core's tests: real `jug` processes on real jugdirs.

They live in :mod:`jugcore.testing.fixtures`, where plugins' tests find them too.
"""
from jugcore.testing.fixtures import (  # noqa: F401
    background, jug, jug27, jug27_python, jugfile, no_user_jugrc, redis_server, site)
