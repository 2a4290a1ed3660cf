"""The values the store contract stores, and how it compares what comes back."""

__all__ = ["VALUES", "ARRAYS", "assert_same"]

VALUES = [
    None, True, 0, -7, 2 ** 80, 1.5, float("inf"), "", "text \u2603\U0001F600", b"", b"\x00\xff" * 1000,
    bytearray(b"abc"), [], {}, (), set(), frozenset({1, 2}),
    {"a": [1, (2, 3), {"b": None}], 4: b"x", (5, 6): {7, 8}},
    [[[[["deep"]]]]],
    list(range(100000)),
    "x" * 300000,
    complex(1, -2),
]

# Built lazily: numpy is imported only by the tests that use it.
ARRAYS = {
    "float2d": lambda np: np.arange(35, dtype=np.float64).reshape(5, 7),
    "int3d": lambda np: np.arange(24, dtype=np.int32).reshape(2, 3, 4),
    "fortran": lambda np: np.asfortranarray(np.arange(12, dtype=np.uint16).reshape(3, 4)),
    "strided": lambda np: np.arange(20, dtype=np.int64).reshape(4, 5)[:, ::2],
    "empty": lambda np: np.array([], dtype=np.complex128),
    "0d": lambda np: np.array(3.0),
    "structured": lambda np: np.zeros((2, 2), dtype=[("a", "<i4"), ("b", "<f8")]),
    "bool": lambda np: np.array([True, False]),
    "object": lambda np: np.array([1, "two", [3]], dtype=object),
    "scalar": lambda np: np.float32(2.5),
}


def assert_same(loaded, value):
    """``loaded`` is ``value``: same type and contents (arrays: same dtype, shape, elements)."""
    assert type(loaded) is type(value), f"stored {type(value).__name__}, loaded {type(loaded).__name__}"
    if hasattr(value, "dtype") and hasattr(value, "shape"):
        import numpy as np

        assert loaded.dtype == value.dtype and loaded.shape == value.shape
        if value.dtype.hasobject:
            assert loaded.tolist() == value.tolist()
        else:
            assert np.array_equal(loaded, value)
        return
    assert loaded == value
