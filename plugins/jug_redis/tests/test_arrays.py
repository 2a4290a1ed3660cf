"""numpy array results in Redis: loaded as stored (dtype, shape, order,
strides, 0-d, empty, structured, object) under a prefix (raw .npy) and in
Jug 2.7's format, read in chunks into the array's own memory, and a cut-short
value is an error naming its Redis key."""
import numpy as np
import pytest
import redis

from pytest_jug import traced_peak

KINDS = {
    "c2d": lambda: np.arange(35, dtype=np.float64).reshape(5, 7) / 3.0,
    "fortran": lambda: np.asfortranarray(np.arange(24, dtype=">i4").reshape(2, 3, 4)),
    "sliced": lambda: np.arange(600).reshape(20, 30)[::3, 1::4],
    "zero_d": lambda: np.array(-1.5),
    "empty": lambda: np.zeros((0, 5), dtype=np.int8),
    "structured": lambda: np.array([(1, b"ab"), (2, b"")], dtype=[("n", "<u2"), ("s", "S2")]),
    "object": lambda: np.array([1, "two", None, [3]], dtype=object),
}


def order_of(value):
    return "F" if value.flags.f_contiguous and not value.flags.c_contiguous else "C"


def assert_same_array(loaded, value):
    assert type(loaded) is np.ndarray and loaded.dtype == value.dtype and loaded.shape == value.shape
    if value.dtype.hasobject:
        assert loaded.tolist() == value.tolist()
        return
    assert order_of(loaded) == order_of(value) and loaded.flags.writeable
    assert loaded.tobytes() == value.tobytes()
    if value.size:
        assert loaded.strides == np.empty(value.shape, value.dtype, order=order_of(value)).strides


@pytest.mark.parametrize("query", ["prefix=arrays:", ""], ids=["raw", "Jug's format"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_arrays_load_back_as_stored(open_store, task_key, kind, query):
    value = KINDS[kind]()
    open_store(query=query).dump(task_key(0), value)
    assert_same_array(open_store(query=query).load(task_key(0)), value)


def test_a_big_fortran_array_is_read_in_chunks_into_its_own_memory(open_store, task_key):
    from jug_redis.values import CHUNK

    value = np.asfortranarray(np.random.default_rng(0).random((3 * CHUNK // 8 // 100 + 1, 100)))
    open_store(query="prefix=big:").dump(task_key(0), value)
    loaded = open_store(query="prefix=big:").load(task_key(0))
    assert_same_array(loaded, value)
    memory = loaded
    while isinstance(memory, np.ndarray):
        memory = memory.base
    # the buffer the chunks were read into: no copy after
    assert isinstance(memory, memoryview) and isinstance(memory.obj, bytearray)


def test_loading_a_big_array_needs_little_memory_beyond_the_array(open_store, task_key):
    value = np.random.default_rng(0).random(48 * (1 << 20) // 8)
    open_store(query="prefix=big:").dump(task_key(0), value)
    store = open_store(query="prefix=big:")
    store.can_load(task_key(0))  # connected, scripts loaded
    loaded, peak = traced_peak(lambda: store.load(task_key(0)))
    assert np.array_equal(loaded, value)
    assert peak <= 1.2 * value.nbytes, peak / value.nbytes


@pytest.mark.parametrize("cut", [40, -1000], ids=["in the header", "in the data"])
def test_a_cut_short_npy_value_is_reported_as_corrupt_naming_its_key(open_store, redis_url, task_key, cut):
    from jugcore.api import CorruptResult

    store = open_store(query="prefix=cut:")
    store.dump(task_key(0), np.arange(1000.0))
    client = redis.Redis.from_url(redis_url)
    name = b"cut:result:" + task_key(0)
    client.set(name, client.get(name)[:cut])
    client.close()
    with pytest.raises(CorruptResult, match=f"Redis key {name.decode()} at "):
        store.load(task_key(0))


@pytest.mark.parametrize("value", [
    np.zeros((2000, 1000)),  # inflates 1000-fold: pieces must not balloon
    np.asfortranarray(np.random.default_rng(0).random((1000, 700))),
    list(range(1_000_000)),
], ids=["zeros", "fortran", "pickled list"])
def test_a_big_value_in_jug27s_format_is_decoded_piece_by_piece(open_store, redis_url, task_key, value):
    from base64 import b64encode

    from jugcore.api import encode

    client = redis.Redis.from_url(redis_url)
    client.set(b"result:" + task_key(0), b64encode(encode(value)))  # compressed, as Jug 2.7 writes it
    client.close()
    loaded = open_store().load(task_key(0))
    if isinstance(value, list):
        assert loaded == value
    else:
        assert_same_array(loaded, value)


def test_loading_a_big_array_in_jug27s_format_needs_the_text_and_the_array_only(open_store, task_key):
    value = np.random.default_rng(0).random(24 * (1 << 20) // 8)
    open_store().dump(task_key(0), value)  # base64 of an uncompressed stream: 4/3 of the array
    store = open_store()
    store.can_load(task_key(0))
    loaded, peak = traced_peak(lambda: store.load(task_key(0)))
    assert np.array_equal(loaded, value)
    assert peak <= (4 / 3 + 1 + 0.2) * value.nbytes, peak / value.nbytes  # whole, it was 4.4x
