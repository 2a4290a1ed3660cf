"""Result encodings shared by the stores, byte-compatible with Jug 2.7.

* the *stream*: zlib of one prefix byte plus payload, ``P`` + pickle or
  ``N`` + ``.npy`` (non-object numpy arrays); ``None`` is empty;
* the *native* form the file store writes: raw ``.npy`` for a non-object
  ndarray, the stream for anything else.  Readers try ``.npy`` first;
* the *raw* form, for stores where speed beats size and Jug 2.7 need not
  read: raw ``.npy`` or a plain pickle, uncompressed.  Both start with a byte
  (0x93, 0x80) that neither base64 text nor the stream can start with.

Values are serialised completely in memory before anything is written, so an
unpicklable result never leaves a partial file behind.
"""
import io
import pickle
import sys
import zlib

__all__ = ["encode", "decode", "encode_to", "decode_from", "encode_native", "decode_native", "encode_raw", "decode_raw",
           "CorruptResult"]

_NPY_MAGIC = b"\x93NUMPY"


class CorruptResult(ValueError):
    """Stored bytes that decode to no value."""


def _plain_ndarray(value):
    np = sys.modules.get("numpy")
    return np is not None and type(value) is np.ndarray and not value.dtype.hasobject


def _npy_bytes(array):
    import numpy as np  # 90 ms, and optional: only arrays need it

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getbuffer()


def _compressor(size, level=6):
    # zlib's default state (32 KiB window, memLevel 8) costs tens of
    # microseconds to set up, more than compressing a small result; a window
    # no larger than the data compresses it as well, and any inflater reads it.
    bits = min(15, max(9, size.bit_length()))
    return zlib.compressobj(level, zlib.DEFLATED, bits, min(8, max(1, bits - 7)))


def encode(value, store_from=None) -> bytes:
    """The zlib stream for ``value`` (b'' for None).  A payload of ``store_from``
    bytes or more is stored uncompressed (zlib level 0, still a stream any
    reader inflates): compressing hundreds of MB costs seconds."""
    if value is None:
        return b""
    if _plain_ndarray(value):
        payload, head = _npy_bytes(value), b"N"
    else:
        payload, head = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), b"P"
    level = 0 if store_from is not None and len(payload) >= store_from else 6
    compressor = _compressor(len(payload) + 1, level)
    return compressor.compress(head) + compressor.compress(payload) + compressor.flush()


def decode(data) -> object:
    """The value of a zlib stream."""
    if not data:
        return None
    try:
        raw = zlib.decompress(data)
    except zlib.error as e:
        raise CorruptResult(f"not a jug result stream ({e})") from None
    prefix, payload = raw[:1], memoryview(raw)[1:]
    if prefix == b"P":
        try:
            return pickle.loads(payload)
        except Exception as e:
            raise CorruptResult(f"the pickled result cannot be read ({type(e).__name__}: {e})") from None
    if prefix == b"N":
        import numpy as np  # 90 ms, and optional: only arrays need it

        try:
            return np.lib.format.read_array(io.BytesIO(payload), allow_pickle=False)
        except Exception as e:
            raise CorruptResult(f"the .npy result cannot be read ({type(e).__name__}: {e})") from None
    raise CorruptResult(f"unknown encoding prefix {bytes(prefix)!r}")


def encode_to(value, stream):
    """Write :func:`encode`'s bytes for ``value`` to the binary ``stream``."""
    stream.write(encode(value))


def decode_from(stream):
    """The value of the zlib stream read from the binary ``stream``."""
    return decode(stream.read())


_NONE_STREAM = zlib.compress(b"P" + pickle.dumps(None, protocol=pickle.HIGHEST_PROTOCOL))


def encode_native(value):
    """Bytes for the file store: raw ``.npy`` for plain arrays, else the stream;
    never empty (None is the stream of a pickled None, which Jug 2.7 reads as
    None): an empty file is one whose writing was cut short."""
    if _plain_ndarray(value):
        return _npy_bytes(value)
    if value is None:
        return _NONE_STREAM
    return encode(value)


def decode_native(data):
    """Inverse of ``encode_native``; empty ``data`` is corrupt."""
    if not data:
        raise CorruptResult("it is empty, as only a write cut short leaves a result")
    if data[:6] == _NPY_MAGIC:
        import numpy as np  # 90 ms, and optional: only arrays need it

        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    return decode(data)


def encode_raw(value):
    """Raw ``.npy`` for plain arrays, a plain pickle (protocol 5) otherwise, b'' for None."""
    if value is None:
        return b""
    if _plain_ndarray(value):
        return _npy_bytes(value)
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def decode_raw(data):
    """Inverse of ``encode_raw``."""
    if not data:
        return None
    if data[:6] == _NPY_MAGIC:
        if isinstance(data, bytearray):
            return _npy_in_place(data)
        import numpy as np  # 90 ms, and optional: only arrays need it

        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    try:
        return pickle.loads(data)
    except Exception as e:
        raise CorruptResult(f"the pickled result cannot be read ({type(e).__name__}: {e})") from None


def _npy_in_place(buffer):
    """The array of the ``.npy`` bytes in ``buffer`` (a bytearray), using it as its
    memory: no copy of a large array, and writable like any loaded result."""
    import numpy as np  # 90 ms, and optional: only arrays need it

    fmt = np.lib.format
    major = buffer[6]
    size_bytes = 2 if major == 1 else 4
    header_end = 8 + size_bytes + int.from_bytes(buffer[8:8 + size_bytes], "little")
    head = io.BytesIO(bytes(buffer[:header_end]))
    version = fmt.read_magic(head)
    read_header = {(1, 0): fmt.read_array_header_1_0, (2, 0): fmt.read_array_header_2_0}.get(version)
    if read_header is None:  # a newer format version: let numpy read it
        return fmt.read_array(io.BytesIO(buffer), allow_pickle=False)
    shape, fortran_order, dtype = read_header(head)
    count = 1
    for n in shape:
        count *= n
    array = np.frombuffer(buffer, dtype=dtype, count=count, offset=header_end)
    return array.reshape(shape, order="F" if fortran_order else "C")
