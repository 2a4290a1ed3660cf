"""A result's BLOB read as a file, in pieces, so that a big array is read
straight into its own memory (``load_native``) rather than into a bytes
object that numpy then copies: the peak of a load is the array plus one
piece, not twice the array.

SQLite's incremental BLOB I/O (``Connection.blobopen``) is Python 3.11's; on
older Pythons the row's bytes are decoded as a whole.
"""
import io

__all__ = ["BlobFile", "PIECE"]

PIECE = 1 << 20  # bytes per read from SQLite


class BlobFile(io.RawIOBase):
    """A read-only raw file over a ``sqlite3.Blob`` (wrap it in io.BufferedReader)."""

    def __init__(self, blob):
        self._blob = blob

    def readable(self):
        return True

    def readinto(self, buffer):
        with memoryview(buffer) as view:
            piece = self._blob.read(min(len(view), PIECE))
            view[:len(piece)] = piece
        return len(piece)
