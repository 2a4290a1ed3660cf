"""Raw ``.npy`` results, written from and read into the array's own memory.

A result of hundreds of MB must not be copied on its way to or from a file:
a copy costs as much time as the write itself, and doubles the peak memory of
the process that loads it.  So the bytes are produced as pieces (the header,
then views of the array's memory) for the writer to hand to the OS one by one,
and a reader allocates the array and reads the file straight into it.

The bytes are numpy's ``np.save`` (format 1.0, or 2.0 for headers too long for
1.0), the format Jug 2.7 writes and reads.  numpy is imported only here, when
an array is written or read (90 ms, and optional).
"""
import io

__all__ = ["npy_parts", "read_npy", "npy_in_place", "NPY_MAGIC"]

NPY_MAGIC = b"\x93NUMPY"
_CHUNK_BYTES = 16 << 20  # of a non-contiguous array, copied to C order this much at a time (as numpy does)


class NpyError(ValueError):
    """``.npy`` bytes that hold no array: the caller names the result."""


def npy_parts(array):
    """The ``.npy`` bytes of ``array`` (a plain ndarray, not of object dtype) as
    an iterable of buffers.  A C- or Fortran-contiguous array is one view of its
    memory after the header; any other is copied in chunks, each valid only
    until the next is taken (write it before asking for more)."""
    import numpy as np

    header = _header(np, array)
    if header is None:  # numpy's own format 3.0 (field names beyond latin-1): rare, let numpy write it
        out = io.BytesIO()
        np.lib.format.write_array(out, array, allow_pickle=False)
        return [out.getbuffer()]
    return _with_data(np, header, array)


def _with_data(np, header, array):
    yield header
    if array.nbytes == 0:
        return
    if array.flags.c_contiguous or array.flags.f_contiguous:  # the header says which order
        yield array.ravel(order="K").view(np.uint8)
        return
    chunk_items = max(_CHUNK_BYTES // array.itemsize, 1)
    flags = ["external_loop", "buffered", "zerosize_ok"]
    for chunk in np.nditer(array, flags=flags, buffersize=chunk_items, order="C"):
        yield np.ascontiguousarray(chunk).view(np.uint8)  # (a chunk nditer did not buffer may be strided)


def _header(np, array):
    """np.save's header for ``array`` (format 1.0, else 2.0), or None if it needs 3.0."""
    fmt = np.lib.format
    fields = fmt.header_data_from_array_1_0(array)
    for write in (fmt.write_array_header_1_0, fmt.write_array_header_2_0):
        out = io.BytesIO()
        try:
            write(out, fields)
        except ValueError:  # too long for 1.0; non-latin-1 names (UnicodeEncodeError) for both
            continue
        return out.getvalue()
    return None


def read_npy(f):
    """The array in the binary file object ``f`` (at the magic string), its data
    read straight into the array's memory.  NpyError if it is not whole."""
    import numpy as np

    shape, fortran_order, dtype = _read_header(np, f)
    array = np.empty(shape, dtype, order="F" if fortran_order else "C")
    if array.nbytes:
        wanted = array.nbytes
        got = _read_into(f, memoryview(array.ravel(order="K").view(np.uint8)))
        if got < wanted:
            raise NpyError(f"the .npy result is cut short: {got} of its {wanted} data bytes are there")
    return array


def _read_into(f, view):
    got = 0
    while got < len(view):
        n = f.readinto(view[got:])
        if not n:
            break
        got += n
    return got


def npy_in_place(buffer):
    """The array of the ``.npy`` bytes in ``buffer`` (a bytearray), using the
    buffer as its memory: no copy, and writable like any loaded result."""
    import numpy as np

    with memoryview(buffer) as view:
        head = io.BytesIO(view[:_header_bound(buffer)])
    shape, fortran_order, dtype = _read_header(np, head)
    count = 1
    for n in shape:
        count *= n
    if len(buffer) - head.tell() < count * dtype.itemsize:
        raise NpyError(f"the .npy result is cut short: {len(buffer) - head.tell()} of its "
                       f"{count * dtype.itemsize} data bytes are there")
    if count * dtype.itemsize == 0:
        return np.empty(shape, dtype, order="F" if fortran_order else "C")
    array = np.frombuffer(buffer, dtype=dtype, count=count, offset=head.tell())
    return array.reshape(shape, order="F" if fortran_order else "C")


def _header_bound(buffer):
    """How many bytes of ``buffer`` the header can take (its length field, read by hand)."""
    if len(buffer) < 12:
        return len(buffer)
    size_bytes = 2 if buffer[6] == 1 else 4
    return 8 + size_bytes + int.from_bytes(buffer[8:8 + size_bytes], "little")


def _read_header(np, f):
    """(shape, fortran_order, dtype) from the header at ``f``'s position."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(f)
        read = {(1, 0): fmt.read_array_header_1_0, (2, 0): fmt.read_array_header_2_0}.get(version, _header_3_0)
        shape, fortran_order, dtype = read(f)
    except (ValueError, SyntaxError, KeyError, TypeError) as e:
        raise NpyError(f"the .npy header cannot be read ({e})") from None
    if dtype.hasobject:
        raise NpyError("the .npy result holds Python objects, which no jug writes as .npy")
    return shape, fortran_order, dtype


def _header_3_0(f):
    """Format 3.0's header (2.0's, in utf-8: numpy has no public reader for it)."""
    import ast

    import numpy as np

    fields = ast.literal_eval(f.read(int.from_bytes(f.read(4), "little")).decode("utf-8"))
    return tuple(fields["shape"]), fields["fortran_order"], np.lib.format.descr_to_dtype(fields["descr"])
