"""A zlib stream read as a file while it is inflated, piece by piece.

A big result in Jug's stream (``N`` + ``.npy``, zlib) inflated whole is one
more copy of the array in memory; read through this file, numpy's reader
(npy.py) gets the array's data inflated straight into the array's memory,
a few MiB at a time.
"""
import io
import zlib

__all__ = ["InflatingFile"]

_OUT_AT_MOST = 1 << 20  # bytes inflated per read: a highly compressed piece must not balloon


class InflatingFile(io.RawIOBase):
    """The inflated bytes of the zlib stream whose compressed bytes ``pieces``
    (an iterable of bytes-like objects) yields in order; zlib.error if they are
    not one.  Wrap it in io.BufferedReader for ``read``/``peek``."""

    def __init__(self, pieces):
        self._pieces = iter(pieces)
        self._inflater = zlib.decompressobj()
        self._pending = b""

    def readable(self):
        return True

    def readall(self):
        # (io's own reads 8 KiB at a time, and each read copies the input left: slow for a big pickle)
        out = [self._inflater.decompress(self._pending)]
        self._pending = b""
        out += [self._inflater.decompress(piece) for piece in self._pieces]
        return b"".join(out)

    def readinto(self, buffer):
        with memoryview(buffer) as view:
            while True:
                if self._pending:
                    out = self._inflater.decompress(self._pending, min(len(view), _OUT_AT_MOST))
                    self._pending = self._inflater.unconsumed_tail
                    if out:
                        view[:len(out)] = out
                        return len(out)
                    continue
                piece = next(self._pieces, None)
                if piece is None:
                    return 0
                self._pending = piece
