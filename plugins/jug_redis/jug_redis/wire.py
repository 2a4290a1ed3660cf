"""Many commands in one round trip, packed here.

redis-py packs each argument in Python, which for 50,000 task keys costs more
than the server's work; keys of one length pack in one ``bytes.join``.
"""

__all__ = ["pack", "send_all"]


def pack(head, items, item_prefix=b""):
    """The RESP array of ``head + [item_prefix + item for item in items]`` (bytes)."""
    parts = [b"*%d\r\n" % (len(head) + len(items))]
    parts += [b"$%d\r\n%s\r\n" % (len(arg), arg) for arg in head]
    if not items:
        return b"".join(parts)
    size = len(items[0])
    if all(len(item) == size for item in items):
        separator = b"\r\n$%d\r\n%s" % (len(item_prefix) + size, item_prefix)
        parts += [separator[2:], separator.join(items), b"\r\n"]
    else:
        parts += [b"$%d\r\n%s%s\r\n" % (len(item_prefix) + len(item), item_prefix, item) for item in items]
    return b"".join(parts)


def send_all(client, commands):
    """Send every packed command, then read every reply: one round trip."""
    pool = client.connection_pool
    connection = pool.get_connection()
    try:
        connection.send_packed_command(commands)
        return [connection.read_response() for _ in commands]
    except BaseException:
        connection.disconnect()  # replies may be left unread on it
        raise
    finally:
        pool.release(connection)
