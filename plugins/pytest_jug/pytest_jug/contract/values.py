"""The values the store contract stores, and how it compares what comes back."""

__all__ = ["VALUES", "ARRAYS", "assert_same"]

# Named, so that a test id reads `test_round_trip[nested-dict]` rather than a
# value's repr (some are 300 KB).
VALUES = {
    "none": None, "true": True, "zero": 0, "negative-int": -7, "big-int": 2 ** 80, "float": 1.5,
    "infinity": float("inf"), "empty-str": "", "unicode-str": "text \u2603\U0001F600", "empty-bytes": b"",
    "binary-bytes": b"\x00\xff" * 1000, "bytearray": bytearray(b"abc"), "empty-list": [], "empty-dict": {},
    "empty-tuple": (), "empty-set": set(), "frozenset": frozenset({1, 2}),
    "nested-dict": {"a": [1, (2, 3), {"b": None}], 4: b"x", (5, 6): {7, 8}},
    "deep-list": [[[[["deep"]]]]],
    "long-list": list(range(100000)),
    "long-str": "x" * 300000,
    "complex": complex(1, -2),
}

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
