"""Our task keys equal Jug 2.7.0's, byte for byte (golden vectors).

tests/golden/hash_vectors.json was written by the real Jug 2.7.0
(tests/golden/make_hash_vectors.py); here the same cases are built with our
``jug`` and every key is compared.
"""
import importlib.util
import json
import platform
import sys
from collections import namedtuple
from pathlib import Path

import numpy as np
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
VECTORS_FILE = GOLDEN / "hash_vectors.json"


def _load_hash_cases():
    # Task names embed the module name, so the module must be "hash_cases",
    # exactly as when Jug 2.7 generated the vectors.
    existing = sys.modules.get("hash_cases")
    if existing is not None and Path(existing.__file__).resolve() == GOLDEN / "hash_cases.py":
        return existing
    spec = importlib.util.spec_from_file_location("hash_cases", GOLDEN / "hash_cases.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["hash_cases"] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules["hash_cases"]
        raise
    return module


def _build_cases():
    """cases(), without leaving its tasks behind in jug's global task list."""
    n_before = len(hash_cases.alltasks)
    built = hash_cases.cases()
    assert len(hash_cases.alltasks) > n_before  # tasks register themselves
    del hash_cases.alltasks[n_before:]
    return built


hash_cases = _load_hash_cases()
GOLDEN_DOC = json.loads(VECTORS_FILE.read_text())
VECTORS = GOLDEN_DOC["vectors"]
CASES = _build_cases()


def _minor(version):
    return tuple(version.split(".")[:2])


def _skip_reason(name):
    """Cases whose bytes legitimately depend on the interpreter or numpy version."""
    if name.startswith("tasklet_lambda_") and _minor(GOLDEN_DOC["python"]) != _minor(platform.python_version()):
        return f"lambda keys include bytecode: vectors are from Python {GOLDEN_DOC['python']}"
    generator_numpy = GOLDEN_DOC.get("numpy")
    if (name.startswith("np_scalar_") and generator_numpy
            and generator_numpy.split(".")[0] != np.__version__.split(".")[0]):
        return f"numpy scalars pickle by module path: vectors are from numpy {generator_numpy}"
    return None


def test_golden_file_is_from_jug_27():
    assert GOLDEN_DOC["generator"] == "jug 2.7.0"
    assert len(VECTORS) >= 150


def test_vectors_cover_every_case():
    missing = sorted(set(CASES) - set(VECTORS))
    stale = sorted(set(VECTORS) - set(CASES))
    assert not missing, f"cases without a vector (rerun make_hash_vectors.py): {missing}"
    assert not stale, f"vectors for cases that no longer exist: {stale}"


@pytest.mark.parametrize("name", list(CASES))
def test_key_matches_jug27(name):
    reason = _skip_reason(name)
    if reason:
        pytest.skip(reason)
    assert name in VECTORS, f"no golden vector for {name} (rerun make_hash_vectors.py)"
    key = hash_cases.key_of(CASES[name])
    assert isinstance(key, bytes)
    assert key.decode("ascii") == VECTORS[name]


def test_keys_stable_when_cases_built_twice():
    first = {name: hash_cases.key_of(obj) for name, obj in _build_cases().items()}
    second_cases = _build_cases()
    second = {name: hash_cases.key_of(obj) for name, obj in second_cases.items()}
    assert first == second
    # and asking the same objects again (cached keys) gives the same answer
    again = {name: hash_cases.key_of(obj) for name, obj in second_cases.items()}
    assert again == second


def test_namedtuple_holding_a_task_is_rejected():
    # Jug 2.7 raises TypeError here too (a namedtuple would be pickled, and a
    # pickled Task has no stable bytes).
    from jug import Task
    from jug.hash import hash_one

    n_before = len(hash_cases.alltasks)
    try:
        dep = hash_cases.const_seven()
        with pytest.raises(TypeError):
            hash_cases.collect(hash_cases.Point(dep, 1)).hash()
        with pytest.raises(TypeError):
            Task(hash_cases.plain_square, [hash_cases.Point(1, dep)]).hash()
        with pytest.raises(TypeError):
            hash_one(hash_cases.Point(dep[0], 2))
        Local = namedtuple("Local", "a")
        with pytest.raises(TypeError):
            hash_one({"k": Local(dep)})
    finally:
        del hash_cases.alltasks[n_before:]


@pytest.mark.parametrize("dtype", ["datetime64[D]", "timedelta64[s]"])
def test_datetime_arrays_are_rejected_like_jug27(dtype):
    # Jug 2.7 hashes an array through its buffer, which numpy refuses for
    # datetime64/timedelta64: ValueError("cannot include dtype 'M' in a buffer").
    from jug.hash import hash_one

    with pytest.raises(ValueError):
        hash_one(np.array([1, 2], dtype=dtype))
