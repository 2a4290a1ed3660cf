"""Result encodings shared by the stores, byte-compatible with Jug 2.7.

* the *stream*: zlib of one prefix byte plus payload, ``P`` + pickle or
  ``N`` + ``.npy`` (non-object numpy arrays); ``None`` is empty;
* the *native* form the file store writes: raw ``.npy`` for a non-object
  ndarray, the stream for anything else.  Readers try ``.npy`` first;
* the *raw* form, for stores where speed beats size and Jug 2.7 need not
  read: raw ``.npy`` or a plain pickle, uncompressed.  Both start with a byte
  (0x93, 0x80) that neither base64 text nor the stream can start with.

Pickles and streams are made completely in memory before anything is written,
so an unpicklable result never leaves a partial file behind.  Arrays are not:
a writer gets their ``.npy`` as pieces that are views of the array's memory
(``native_parts``), and a reader of a file gets the array read straight into
its own memory (``load_native``); see npy.py.

Compression: zlib level 6 (Jug's) up to 64 KiB of payload, level 1 above.
On a 50 MB pickled dict level 1 compresses 8x faster than level 6 and the
stream is as small (pickles of Python objects repeat opcodes and short
strings, which the fast matcher finds as well); on small results the level
makes no difference to the time.  A pickle of 4 MiB or more is compressed on
a thread while it is being made (pickled.py).
"""
import gc
import io
import pickle
import sys
import zlib

from jugcore.formats.inflate import InflatingFile
from jugcore.formats.npy import NPY_MAGIC, NpyError, npy_in_place, npy_parts, read_npy
from jugcore.formats.pickled import THREAD_FROM, pickle_compressing

__all__ = ["encode", "decode", "decode_pieces", "encode_to", "decode_from", "encode_native", "decode_native",
           "native_parts", "load_native", "encode_raw", "decode_raw", "CorruptResult"]

_FAST_FROM = 1 << 16  # bytes of payload from which the stream is compressed at level 1
_BIG = 1 << 30  # the size a compressor is set up for when the size is not known yet
# Unpickling millions of containers sets off the cyclic garbage collector
# every few hundred allocations, and each pass walks all the young objects: a
# 50 MB dict took 4.2 s to unpickle with it, 0.8 s without.  A loaded value is
# fresh objects that no cycle of garbage can hold yet.
_GC_PAUSE_FROM = 1 << 20


class CorruptResult(ValueError):
    """Stored bytes that decode to no value."""


def _plain_ndarray(value):
    np = sys.modules.get("numpy")
    return np is not None and type(value) is np.ndarray and not value.dtype.hasobject


def _joined(parts):
    """The bytes of ``parts`` (each used before the next is taken: see npy_parts)."""
    out = io.BytesIO()
    for part in parts:
        out.write(part)
    return out.getbuffer()


def _compressor(size, level):
    # zlib's default state (32 KiB window, memLevel 8) costs tens of
    # microseconds to set up, more than compressing a small result; a window
    # no larger than the data compresses it as well, and any inflater reads it.
    bits = min(15, max(9, size.bit_length()))
    return zlib.compressobj(level, zlib.DEFLATED, bits, min(8, max(1, bits - 7)))


def _stream_parts(value, store_from=None):
    """The zlib stream for ``value`` (not None), as a list of bytes."""
    if _plain_ndarray(value):
        payload, head, size = npy_parts(value), b"N", value.nbytes
    else:
        # A big pickle is compressed on a thread while it is made (pickled.py), at level 0 from
        # ``store_from`` (the thread starts no earlier), else 1 (a big pickle is past _FAST_FROM).
        level = 0 if store_from is not None else 1
        pieces, pickled = pickle_compressing(value, b"P", lambda: _compressor(_BIG, level),
                                             max(THREAD_FROM, store_from or 0))
        if pieces is not None:
            return pieces
        head, size, payload = b"P", len(pickled), (pickled,)
    if store_from is not None and size >= store_from:
        level = 0
    else:
        level = 1 if size >= _FAST_FROM else 6
    compressor = _compressor(size + 1, level)
    parts = [compressor.compress(head)]
    parts += [compressor.compress(part) for part in payload]
    parts.append(compressor.flush())
    return parts


def encode(value, store_from=None) -> bytes:
    """The zlib stream for ``value`` (b'' for None).  A payload of ``store_from``
    bytes or more is stored uncompressed (zlib level 0, still a stream any
    reader inflates): compressing hundreds of MB costs seconds."""
    if value is None:
        return b""
    return b"".join(_stream_parts(value, store_from))


def decode(data) -> object:
    """The value of a zlib stream."""
    if not data:
        return None
    try:
        raw = zlib.decompress(data)
    except zlib.error as e:
        raise CorruptResult(f"not a jug result stream ({e})") from None
    prefix = raw[:1]
    if prefix == b"P":
        return _unpickle(memoryview(raw)[1:])
    if prefix == b"N":
        stream = io.BytesIO(raw)  # shares the bytes: the array is their one copy
        stream.seek(1)
        return _read_npy(stream)
    raise CorruptResult(f"unknown encoding prefix {bytes(prefix)!r}")


def decode_pieces(pieces):
    """The value of a zlib stream given as an iterable of pieces, inflated as it is
    read: an array's data goes straight into its own memory, with no copy of the
    inflated stream beside it."""
    f = io.BufferedReader(InflatingFile(pieces))
    try:
        prefix = f.read(1)
        if prefix == b"N":
            return _read_npy(f)
        payload = f.read()
    except zlib.error as e:
        raise CorruptResult(f"not a jug result stream ({e})") from None
    if not prefix:
        return None
    if prefix == b"P":
        return _unpickle(payload)
    raise CorruptResult(f"unknown encoding prefix {prefix!r}")


def _unpickle(payload):
    try:
        if len(payload) < _GC_PAUSE_FROM or not gc.isenabled():
            return pickle.loads(payload)
        gc.disable()
        try:
            return pickle.loads(payload)
        finally:
            gc.enable()
    except Exception as e:
        raise CorruptResult(f"the pickled result cannot be read ({type(e).__name__}: {e})") from None


def _read_npy(f):
    try:
        return read_npy(f)
    except NpyError as e:
        raise CorruptResult(str(e)) from None


def encode_to(value, stream):
    """Write :func:`encode`'s bytes for ``value`` to the binary ``stream``."""
    stream.write(encode(value))


def decode_from(stream):
    """The value of the zlib stream read from the binary ``stream``."""
    return decode(stream.read())


_NONE_STREAM = zlib.compress(b"P" + pickle.dumps(None, protocol=pickle.HIGHEST_PROTOCOL))


def native_parts(value):
    """The bytes for the file store, as buffers to write one after another: raw
    ``.npy`` for plain arrays (views of the array: see npy_parts), else the
    stream; never empty (None is the stream of a pickled None, which Jug 2.7
    reads as None): an empty file is one whose writing was cut short."""
    if _plain_ndarray(value):
        return npy_parts(value)
    if value is None:
        return [_NONE_STREAM]
    return _stream_parts(value)


def encode_native(value):
    """``native_parts`` as one bytes-like object."""
    return _joined(native_parts(value))


def decode_native(data):
    """Inverse of ``encode_native``; empty ``data`` is corrupt."""
    if not data:
        raise CorruptResult("it is empty, as only a write cut short leaves a result")
    if data[:6] == NPY_MAGIC:
        return _read_npy(io.BytesIO(data))
    return decode(data)


def load_native(f):
    """The value in the binary file object ``f`` (buffered: it has ``peek``),
    which holds ``native_parts``: an array is read straight into its memory."""
    if f.peek(len(NPY_MAGIC))[:len(NPY_MAGIC)] == NPY_MAGIC:
        return _read_npy(f)
    return decode_native(f.read())


def encode_raw(value):
    """Raw ``.npy`` for plain arrays, a plain pickle (protocol 5) otherwise, b'' for None."""
    if value is None:
        return b""
    if _plain_ndarray(value):
        return _joined(npy_parts(value))
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def decode_raw(data):
    """Inverse of ``encode_raw``; a bytearray holding ``.npy`` becomes the array's memory."""
    if not data:
        return None
    if data[:6] == NPY_MAGIC:
        if isinstance(data, bytearray):
            try:
                return npy_in_place(data)
            except NpyError as e:
                raise CorruptResult(str(e)) from None
        return _read_npy(io.BytesIO(data))
    return _unpickle(data)
