"""A value pickled into Jug's zlib stream, compressed while it is being pickled.

Pickling a 50 MB dict takes about 2 s, and compressing the pickle (level 1)
0.4 s more.  zlib lets other threads run while it compresses, so once a
pickle has passed ``THREAD_FROM`` bytes the rest is compressed on a thread of
its own, beside the pickler, frame by frame as the pickler writes them: the
stream is done when the pickling is.  A smaller pickle never starts a thread;
the caller compresses it in one go.
"""
import pickle

__all__ = ["pickle_compressing", "THREAD_FROM"]

THREAD_FROM = 4 << 20  # bytes of pickle from which compression runs on its own thread
_END = None


def pickle_compressing(value, head, make_compressor, thread_from=THREAD_FROM):
    """``(pieces, None)``: the compressed stream of ``head`` + the pickle of
    ``value``, made by ``make_compressor()`` on a thread, if the pickle reaches
    ``thread_from`` bytes; else ``(None, pickle)`` (bytes-like, ``head`` not in it)."""
    sink = _Sink(head, make_compressor, thread_from)
    try:
        pickle.Pickler(sink, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    finally:
        sink.close()
    return sink.result()


class _Sink:
    """The pickler's file: keeps what it is given until ``THREAD_FROM`` bytes, then
    hands that and everything after to a compressing thread."""

    __slots__ = ("_head", "_thread_from", "_make_compressor", "_kept", "_size", "_queue", "_thread", "_pieces",
                 "_error")

    def __init__(self, head, make_compressor, thread_from):
        self._head = head
        self._thread_from = thread_from
        self._make_compressor = make_compressor
        self._kept = []
        self._size = 0
        self._queue = None
        self._thread = None
        self._pieces = []
        self._error = None

    def write(self, data):
        if self._queue is not None:
            self._queue.put(data)
        else:
            self._kept.append(data)
            self._size += len(data) if type(data) is bytes else memoryview(data).nbytes  # (a buffer: no len)
            if self._size >= self._thread_from:
                self._start()

    def _start(self):
        import queue  # only big pickles need them: not on every `jug` command's start-up path
        import threading

        self._queue = queue.SimpleQueue()
        for data in (self._head, *self._kept):
            self._queue.put(data)
        self._kept = None
        self._thread = threading.Thread(target=self._compress, name="jug-compress", daemon=True)
        self._thread.start()

    def _compress(self):
        data = None
        try:
            compressor = self._make_compressor()
            while True:
                data = self._queue.get()
                if data is _END:
                    break
                self._pieces.append(compressor.compress(data))
            self._pieces.append(compressor.flush())
        except BaseException as e:  # (MemoryError): raised again by result()
            self._error = e
            while data is not _END:  # what is still to come is dropped, until close()
                data = self._queue.get()

    def close(self):
        if self._thread is not None:
            self._queue.put(_END)
            self._thread.join()

    def result(self):
        if self._thread is None:
            return None, self._kept[0] if len(self._kept) == 1 else b"".join(self._kept)
        if self._error is not None:
            raise self._error
        return self._pieces, None
