"""Reading a result: small ones in one round trip, big ones in chunks into one buffer.

redis-py reads a bulk reply into its own buffer and copies it three times on
the way out: a 200 MB result took 0.63 s to GET, twice what the transfer
costs, and numpy then copied it once more.  A value of ``CHUNK`` bytes or
more is read instead as GETRANGE replies of ``CHUNK`` bytes, each copied
into one bytearray, which numpy then uses as it is (see jugcore.formats.npy):
0.22 s for 200 MB on localhost.  The copies redis-py makes of each reply
cost about five chunks of memory on top of the value: with 1 MiB chunks a
load's peak is the array plus ~5 MiB (1.03x of 200 MB; 4 MiB chunks made it
1.10x, and 2.0x of 20 MB), for 200 round trips per 200 MB, a few tens of ms
on a LAN.  One GETRANGE at a time:
redis-py empties its buffer only when no later reply is in it already, so
pipelined chunks piled up there (0.47 s).  The chunks are read between a WATCH and an empty MULTI/EXEC: EXEC
fails if the value changed meanwhile (a task run again), and the read starts
over, so a value is never torn.
"""
from jug_redis.client import held_connection
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
    buffer = bytearray(size)
    with held_connection(client) as connection, memoryview(buffer) as view:
        _ask(connection, command(b"WATCH", name))
        for start in range(0, size, CHUNK):
            reply = _ask(connection, command(b"GETRANGE", name, start, start + CHUNK - 1))
            n = min(len(reply), size - start)  # (longer: it changed, and EXEC will say so)
            view[start:start + n] = reply[:n]  # (no copy: a whole bytes slice is the bytes)
        length = _ask(connection, command(b"STRLEN", name))
        _ask(connection, command(b"MULTI"))
        committed = _ask(connection, command(b"EXEC"))
    return buffer if committed is not None and length == size else None


def _ask(connection, packed):
    connection.send_packed_command([packed], check_health=False)
    return connection.read_response()
