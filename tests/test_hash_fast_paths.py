"""`task_key` takes short cuts for the commonest tasks (one plain argument,
a few plain arguments); each must feed SHA-1 exactly the bytes of the general
path, which the golden vectors tie to Jug 2.7."""
import random

import pytest

from jugcore.formats.hashing import hash_update, new_hash_object, task_key

INT_EDGES = [0, 1, 255, 256, 257, 1023, 1024, 65535, 65536, 2**31 - 1, 2**31, -1, -255, -256, -65536,
             -(2**31), -(2**31) - 1, 2**63, -(2**63), 10**30]


def general_path(name, args, kwargs):
    pairs = [("name", name.encode("utf-8")), ("args", args), ("kwargs", kwargs)]
    return hash_update(new_hash_object(), pairs).hexdigest().encode("ascii")


def some_ints():
    rng = random.Random(7)
    edges = INT_EDGES + [e + d for e in INT_EDGES for d in (-1, 1)]
    return edges + [rng.randrange(-(2**40), 2**40) for _ in range(2000)] + list(range(-300, 70000, 7))


def test_one_int_argument():
    for i in some_ints():
        assert task_key("jugfile.f", (i,), {}) == general_path("jugfile.f", (i,), {}), i


@pytest.mark.parametrize("value", [True, False, None, 0.0, -2.5, float("inf"), "", "a", "ü" * 300, "\udc80",
                                   b"", b"x" * 70000, 3j])
def test_one_other_scalar_argument(value):
    assert task_key("jugfile.f", (value,), {}) == general_path("jugfile.f", (value,), {})


@pytest.mark.parametrize("args,kwargs", [((1, 2), {}), ((1, "two", 3.0), {}), ((70000, [1, 2]), {}),
                                         ((5,), {"k": 1}), ((), {}), ((), {"a": 256})])
def test_several_arguments(args, kwargs):
    assert task_key("jugfile.g", args, kwargs) == general_path("jugfile.g", args, kwargs)
