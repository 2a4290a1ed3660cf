"""Reading a result: small ones in one round trip, big ones in chunks into one buffer.

redis-py reads a bulk reply into its own buffer and copies it three times on
the way out: a 200 MB result took 0.63 s to GET, twice what the transfer
costs, and numpy then copied it once more.  A value of ``CHUNK`` bytes or
more is read instead as GETRANGE replies of ``CHUNK`` bytes, each copied
into one bytearray (0.31 s), which numpy then uses as it is (see
jugcore.encoding).  The GETRANGEs go in one round trip, between a WATCH and
an empty MULTI/EXEC: EXEC fails if the value changed meanwhile (a task run
again), and the read starts over, so a value is never torn.
"""
from jug_redis.client import pipelined
from jug_redis.lua import SCRIPTS
from jug_redis.wire import command

__all__ = ["read_result", "CHUNK"]

CHUNK = 1 << 20


def read_result(client, prefix, key):
    """The bytes (or bytearray) stored as the result of ``key``, or None if there is none."""
    while True:
        found = SCRIPTS.value(client, prefix, key, CHUNK)
        if not isinstance(found, int):
            return found
        value = _read_in_chunks(client, prefix + b"result:" + key, found)
        if value is not None:
            return value


def _read_in_chunks(client, name, size):
    """The ``size`` bytes of ``name``; None if it changed while we read it."""
    starts = range(0, size, CHUNK)
    commands = [command(b"WATCH", name)]
    commands += [command(b"GETRANGE", name, start, start + CHUNK - 1) for start in starts]
    commands += [command(b"STRLEN", name), command(b"MULTI"), command(b"EXEC")]
    buffer = bytearray(size)
    with memoryview(buffer) as view:

        def copy_chunk(i, reply):
            if 1 <= i <= len(starts):
                start = starts[i - 1]
                n = min(len(reply), size - start)  # (longer: it changed, and EXEC will say so)
                view[start:start + n] = reply[:n]  # (no copy: a whole bytes slice is the bytes)
                return None
            return reply

        replies = pipelined(client, commands, copy_chunk)
    length, committed = replies[-3], replies[-1]
    return buffer if committed is not None and length == size else None
