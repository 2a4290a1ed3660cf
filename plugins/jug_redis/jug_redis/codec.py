"""How values are written to Redis.

Without a prefix we write what Jug 2.7 reads: base64 of the zlib stream
(``None`` is the empty string), so either program can use the other's
database.  Values of 1 MiB and more are stored in the stream uncompressed
(zlib level 0): still Jug's format, but compressing a 200 MB array costs
seconds and gains little on numeric data.

Under a prefix no Jug 2.7 can look, so we write the raw form instead (raw
``.npy`` or a plain pickle, no zlib, no base64): several times faster for big
values.  Readers accept both, told apart by the first byte; a big value in
Jug's format is decoded and inflated piece by piece, straight into the array.
"""
from base64 import b64decode, b64encode

from jugcore.api import CorruptResult, decode, decode_pieces, decode_raw, encode, encode_raw

__all__ = ["encode_jug27", "encode_fast", "decode_any"]

_STORE_UNCOMPRESSED = 1 << 20
_BASE64_PIECE = 1 << 20  # characters of base64 decoded at a time (a multiple of 4)
_BASE64_FIRST = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def encode_jug27(value) -> bytes:
    stream = encode(value, store_from=_STORE_UNCOMPRESSED)
    return b64encode(stream) if stream else b""


def encode_fast(value) -> bytes:
    return encode_raw(value)


def decode_any(data):
    if not data:
        return None
    if data[0] not in _BASE64_FIRST:
        return decode_raw(data)
    if len(data) <= _BASE64_PIECE:
        return decode(_unbase64(data))
    # Piece by piece: neither the whole stream nor the whole inflated value is
    # ever in memory beside the array (a load's peak: the text and the array).
    return decode_pieces(_unbase64(view[start:start + _BASE64_PIECE]) for view in (memoryview(data),)
                         for start in range(0, len(view), _BASE64_PIECE))


def _unbase64(text):
    try:
        return b64decode(text, validate=True)
    except ValueError as e:
        raise CorruptResult(f"not a jug result (bad base64: {e})") from None
