"""Commands packed for the wire (RESP arrays), many keys at a time.

Packing each argument on its own costs more, for 50,000 task keys, than the
server's work; keys of one length pack in one ``bytes.join``.
"""

__all__ = ["pack"]


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

