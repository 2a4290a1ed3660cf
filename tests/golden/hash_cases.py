"""Objects whose task keys are pinned by golden vectors (see hash_vectors.json).

The same file is imported, as the module ``hash_cases``, under Jug 2.7.0 (by
make_hash_vectors.py, which records the keys) and under jugcore (by
tests/test_hash_golden.py, which checks them).  Task names embed the module
name, so it must be imported under exactly that name in both places.

Only the API both implementations share is used here.  ``cases()`` returns an
ordered mapping from case name to object; ``key_of(obj)`` gives the key the
vector records:

* a Task: ``task.hash()``
* a Tasklet: ``tasklet.__jug_hash__()``
* ``HashOne(x)``: ``hash_one(x)`` even when x is a Task or Tasklet
* anything else: ``hash_one(obj)``

Naming conventions the test relies on:

* ``tasklet_lambda_*``: keys include CPython bytecode, so they only hold for
  the Python minor version that generated the vectors;
* ``np_scalar_*``: numpy scalars pickle under a numpy-version-specific module
  path (``numpy._core.multiarray`` since numpy 2), so they only hold for the
  numpy major version that generated the vectors.
"""
import collections
import datetime
import decimal
import fractions
import functools
from collections import OrderedDict

import numpy as np

from jug import Task, TaskGenerator, Tasklet, iteratetask, return_tuple, value
from jug.hash import hash_one
from jug.task import alltasks

__all__ = ["cases", "key_of", "HashOne", "Point", "collect", "alltasks", "value"]


# --------------------------------------------------------------------------
# Task functions (module level: their names become part of the keys)
# --------------------------------------------------------------------------
@TaskGenerator
def add(a, b):
    return a + b


@TaskGenerator
def double(x):
    return 2 * x


@TaskGenerator
def const_seven():
    return 7


@TaskGenerator
def collect(*args, **kwargs):
    return args, kwargs


@TaskGenerator
def keywords_only(*, alpha, beta=2, gamma=None):
    return alpha, beta, gamma


@TaskGenerator
def call_with(fn, x):
    return fn(x)


@TaskGenerator
def pair_of(x):
    return x, x + 1


@TaskGenerator
def triple_of(x):
    return x, x + 1, x + 2


@return_tuple(2)
@TaskGenerator
def split_two(x):
    return x, -x


@return_tuple(3)
@TaskGenerator
def split_three(x):
    return x, x * 10, x * 100


def plain_square(x):
    """Not a TaskGenerator: used with Task(...) and as a pickled argument."""
    return x * x


def scale(x, factor=1, offset=0):
    return x * factor + offset


@TaskGenerator
def ñandú(x):  # non-ASCII function name: the task name is hashed as UTF-8
    return x


class Holder:
    """A plain object, pickled by reference to this module plus its __dict__."""

    def __init__(self, a, b):
        self.a = a
        self.b = b

    @staticmethod
    def static_fn(x):
        return x


class Custom:
    """An object with its own ``__jug_hash__``."""

    def __init__(self, tag):
        self.tag = tag

    def __jug_hash__(self):
        return b"custom:" + self.tag.encode("utf-8")

    def __hash__(self):
        return hash(self.tag)

    def __eq__(self, other):
        return isinstance(other, Custom) and other.tag == self.tag


class CustomFromContent:
    """``__jug_hash__`` built with hash_one over its content."""

    def __init__(self, content):
        self.content = content

    def __jug_hash__(self):
        return hash_one(("CustomFromContent", self.content))


Point = collections.namedtuple("Point", ["x", "y"])


class HashOne:
    """Marker: the vector is ``hash_one(obj)`` even when obj is a Task(let)."""

    def __init__(self, obj):
        self.obj = obj


def key_of(obj):
    """The key (bytes, 40 hex digits) a case's vector records."""
    if isinstance(obj, HashOne):
        return hash_one(obj.obj)
    if isinstance(obj, Task):
        return obj.hash()
    if isinstance(obj, Tasklet):
        return obj.__jug_hash__()
    return hash_one(obj)


# --------------------------------------------------------------------------
# Lambda factories (closures, defaults, odd constants)
# --------------------------------------------------------------------------
def _adder(k):
    return lambda x: x + k


def _two_cells(a, b):
    return lambda x: (x + a) * b


def _empty_cell():
    # ``later`` is a cell variable that is never assigned before the lambda is
    # returned: the lambda's closure holds an empty cell.
    f = lambda x: x + later  # noqa: E731,F821
    return f
    later = 1  # noqa: F841  (unreachable: only makes ``later`` a cell)


def _unpicklable_closure():
    gen = (i for i in range(3))
    return lambda x: (x, gen)


def _nested_lambda_factory():
    return lambda x: (lambda y: y * 3)(x) + 1


# --------------------------------------------------------------------------
# numpy helpers
# --------------------------------------------------------------------------
def _object_array(items, shape=None):
    arr = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        arr[i] = item
    return arr if shape is None else arr.reshape(shape)


def _aligned_struct():
    dt = np.dtype([("flag", "u1"), ("value", "<f8"), ("count", "<i4")], align=True)
    arr = np.zeros(3, dtype=dt)  # zeros: padding bytes are defined
    arr["flag"] = [1, 0, 1]
    arr["value"] = [0.5, -2.25, 1e10]
    arr["count"] = [7, 8, 9]
    return arr


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------
def cases():
    """An ordered dict {case name: object}; see ``key_of`` for the vector."""
    out = OrderedDict()

    def case(name, obj):
        if name in out:
            raise KeyError(f"duplicate case name {name!r}")
        out[name] = obj

    # ---- scalars ---------------------------------------------------------
    ints = {
        "zero": 0, "one": 1, "minus_one": -1, "255": 255, "256": 256,
        "65535": 65535, "65536": 65536, "int32_max": 2**31 - 1, "int32_over": 2**31,
        "int32_min": -(2**31), "int64_over": 2**63, "int64_under": -(2**63) - 1,
        "googol": 10**100, "minus_googol": -(10**100), "two_pow_1000": 2**1000,
    }
    for name, v in ints.items():
        case(f"int_{name}", v)
    floats = {
        "zero": 0.0, "neg_zero": -0.0, "one_half": 1.5, "tenth": 0.1, "max": 1e308,
        "denormal": 5e-324, "inf": float("inf"), "neg_inf": float("-inf"), "nan": float("nan"),
        "neg": -123.456,
    }
    for name, v in floats.items():
        case(f"float_{name}", v)
    case("str_empty", "")
    case("str_ascii", "hello")
    case("str_latin", "ñandú café")
    case("str_cjk", "任务哈希")
    case("str_emoji", "🐍🔑")
    case("str_lone_surrogate", "a\ud800b")
    case("str_nul", "a\x00b")
    case("str_long", "x" * 100_000)
    case("bytes_empty", b"")
    case("bytes_binary", bytes(range(256)))
    case("bytes_long", b"\x00" * 100_000)
    case("bytearray", bytearray(b"abc"))
    case("bool_true", True)
    case("bool_false", False)
    case("none", None)
    case("complex", 1 + 2j)
    case("complex_neg_zero", complex(-0.0, -0.0))
    case("ellipsis", ...)
    case("slice", slice(1, 10, 2))
    case("range", range(3, 30, 3))
    case("type_int", int)
    case("builtin_fn_len", len)
    case("module_fn_plain_square", plain_square)
    case("decimal", decimal.Decimal("1.10"))
    case("fraction", fractions.Fraction(1, 3))
    case("datetime", datetime.datetime(2020, 1, 2, 3, 4, 5, 6))
    case("date", datetime.date(1999, 12, 31))

    # ---- lists and tuples ------------------------------------------------
    case("list_empty", [])
    case("tuple_empty", ())
    case("list_small", [1, 2, 3])
    case("tuple_small", (1, 2, 3))
    case("list_mixed", [1, "a", 2.5, None, b"b", True, 3j])
    case("list_nested", [[1, [2, [3, [4, []]]]], (5, (6,))])
    case("tuple_nested", ((1, 2), [3, (4, [5])], ()))
    case("tuple_single", (1,))
    for n in (1023, 1024, 1025, 3000):
        case(f"list_range_{n}", list(range(n)))
    case("tuple_range_3000", tuple(range(3000)))
    case("list_1025_strings", [f"s{i}" for i in range(1025)])
    case("list_1100_nested", [[i] for i in range(1100)])

    # ---- sets and frozensets ---------------------------------------------
    case("set_empty", set())
    case("frozenset_empty", frozenset())
    case("set_ints", {3, 1, 2})
    case("frozenset_ints", frozenset({3, 1, 2}))
    case("set_strings", {f"member{i}" for i in range(50)})
    case("frozenset_strings", frozenset(f"member{i}" for i in range(50)))
    case("set_mixed", {1, "a", 2.5, None, (1, "t"), frozenset({"x", "y"}), b"b", -7})
    case("frozenset_mixed", frozenset({2, "b", 0.25, (3, 4), frozenset({1}), b"z"}))
    case("frozenset_of_frozensets", frozenset({frozenset({"a"}), frozenset({"b", "c"}), frozenset()}))
    case("list_of_sets", [{1, 2}, frozenset({"p", "q"}), set()])
    case("set_custom_objects", {Custom("one"), Custom("two")})

    # ---- dicts -----------------------------------------------------------
    case("dict_empty", {})
    case("dict_str_keys", {"alpha": 1, "beta": 2, "gamma": 3})
    case("dict_str_keys_reordered", {"gamma": 3, "alpha": 1, "beta": 2})
    case("dict_int_keys", {1: "a", 2: "b", -3: "c", 10**30: "d"})
    case("dict_tuple_keys", {(1, 2): "x", (3, "a"): "y", (): "z"})
    case("dict_frozenset_keys", {frozenset({"a", "b"}): 1, frozenset(): 2, frozenset({1}): 3})
    case("dict_mixed_keys", {1: "int", "1": "str", 1.5: "float", None: "none", b"1": "bytes", (1,): "tuple"})
    case("dict_nested", {"outer": {"inner": {"deep": [1, 2, {"deeper": ()}]}}, "other": {}})
    case("dict_list_values", {"a": [1, 2, 3], "b": (4, 5), "c": {6, 7}})
    case("dict_1500_keys", {f"k{i}": i for i in range(1500)})
    case("ordereddict", OrderedDict([("b", 1), ("a", 2)]))
    case("counter", collections.Counter({"x": 3, "y": 1}))

    # ---- pickled objects, namedtuples, custom __jug_hash__ ---------------
    case("holder_object", Holder(1, "two"))
    case("namedtuple_point", Point(1, 2))
    case("namedtuple_nested", Point(Point(1, 2), [3, 4]))
    case("list_of_namedtuples", [Point(0, 0), Point(1, -1)])
    case("custom_hash", Custom("tag"))
    case("custom_hash_in_list", [Custom("a"), 1, Custom("b")])
    case("custom_hash_in_dict", {"k": Custom("v"), Custom("key"): 1})
    case("custom_from_content", CustomFromContent({"a": [1, 2], "b": {3}}))

    # ---- plain tasks -----------------------------------------------------
    case("task_no_args", const_seven())
    case("task_add_ints", add(1, 2))
    case("task_add_swapped", add(2, 1))
    case("task_add_strs", add("a", "b"))
    case("task_add_kw", add(1, b=2))
    case("task_add_all_kw", add(a=1, b=2))
    case("task_add_kw_reordered", add(b=2, a=1))
    case("task_direct_plain_fn", Task(plain_square, 4))
    case("task_direct_plain_fn_kw", Task(scale, 3, factor=2, offset=1))
    case("task_builtin_fn", Task(len, [1, 2, 3]))
    case("task_builtin_sorted", Task(sorted, [3, 1, 2], reverse=True))
    case("task_staticmethod", Task(Holder.static_fn, 1))
    case("task_unicode_name", ñandú(1))
    case("task_kwonly", keywords_only(alpha=1))
    case("task_kwonly_all", keywords_only(alpha=1, beta="b", gamma=[None]))
    case("task_kwargs_only_collect", collect(x=1, y=[2], z={"w": 3}))
    case("task_collect_mixed", collect(1, "two", 3.0, None, key="v"))
    case("task_collect_1025_args", collect(*range(1025)))
    case("task_list_1024", collect(list(range(1024))))
    case("task_dict_arg", collect({"b": 1, "a": [2, 3]}))
    case("task_set_arg", collect({"b", "a", "c"}))
    case("task_frozenset_arg", collect(frozenset({1, 2})))
    case("task_namedtuple_arg", collect(Point(3, 4)))
    case("task_holder_arg", collect(Holder([1], {"x": 2})))
    case("task_custom_arg", collect(Custom("c"), k=Custom("d")))
    case("task_float_args", collect(-0.0, float("nan"), float("inf")))
    case("task_function_arg", call_with(plain_square, 3))
    case("task_builtin_fn_arg", call_with(len, "abc"))
    case("task_taskgenerator_arg", call_with(double, 5))
    case("hash_one_taskgenerator", double)

    # ---- functools.partial as the task function ---------------------------
    case("partial_args", Task(functools.partial(scale, 2), factor=3))
    case("partial_keywords", Task(functools.partial(scale, factor=5), 1))
    case("partial_args_keywords", Task(functools.partial(scale, 1, offset=4), 2))
    case("partial_override_kw", Task(functools.partial(scale, factor=5), 1, factor=6))
    case("partial_nested", Task(functools.partial(functools.partial(scale, 1), factor=2), offset=3))
    case("partial_of_taskgen_fn", Task(functools.partial(add.f, 10), 20))
    case("partial_equiv_plain", Task(scale, 2, factor=3))  # same key as partial_args
    case("partial_as_argument", call_with(functools.partial(scale, factor=2), 4))

    # ---- tasks depending on tasks ----------------------------------------
    t1 = add(1, 2)
    t2 = double(t1)
    case("chain_2", t2)
    chain = const_seven()
    for _ in range(20):
        chain = double(chain)
    case("chain_21", chain)
    root = const_seven()
    left = double(root)
    right = add(root, 1)
    case("diamond", add(left, right))
    case("diamond_kw", add(a=left, b=right))
    case("dep_in_list", collect([t1, t2, 3]))
    case("dep_in_tuple", collect((t1, (t2,))))
    case("dep_in_dict_value", collect({"first": t1, "second": [t2]}))
    case("dep_in_nested_dict", collect(cfg={"a": {"b": [t1, {"c": t2}]}}))
    case("dep_in_dict_key", collect({t1: "value"}))
    case("dep_in_set", collect({t1, t2}))
    case("dep_in_frozenset", collect(frozenset({t1, t2})))
    case("dep_as_kwarg", collect(x=t1))
    case("dep_list_of_1025_tasks", collect([add(i, 0) for i in range(1025)]))
    case("hash_one_task", HashOne(t1))
    case("hash_one_list_of_tasks", HashOne([t1, t2]))
    case("hash_one_set_of_tasks", HashOne({t1, t2}))
    case("hash_one_dict_of_tasks", HashOne({"t": t1, "u": (t2,)}))

    # ---- Tasklets from indexing -------------------------------------------
    base = pair_of(3)
    case("tasklet_index_0", base[0])
    case("tasklet_index_1", base[1])
    case("tasklet_index_neg", base[-1])
    case("tasklet_slice_1_3", base[1:3])
    case("tasklet_slice_step", base[::2])
    case("tasklet_slice_open", base[1:])
    case("tasklet_key_str", collect(key="v")["key"])
    case("tasklet_key_tuple", base[(0, 1)])
    case("tasklet_key_none", base[None])
    case("tasklet_key_float", base[1.5])
    case("tasklet_nested_0_1", base[0][1])
    case("tasklet_nested_3_levels", base[0][1]["x"])
    case("tasklet_index_by_task", base[const_seven()])
    case("tasklet_index_by_tasklet", base[base[0]])
    case("tasklet_index_by_array", base[np.array([0, 1])])
    case("task_of_tasklet", double(base[0]))
    case("task_of_tasklets_in_list", collect([base[0], base[1]]))
    case("hash_one_tasklet", HashOne(base[0]))

    # ---- Tasklets with explicit functions --------------------------------
    case("tasklet_fn_plain", Tasklet(base, plain_square))
    case("tasklet_fn_builtin", Tasklet(base, len))
    case("tasklet_fn_partial", Tasklet(base, functools.partial(scale, factor=3)))
    case("tasklet_fn_taskgenerator", Tasklet(base, double))
    case("tasklet_over_tasklet_fn", Tasklet(base[0], plain_square))

    # ---- Tasklets over lambdas -------------------------------------------
    case("tasklet_lambda_plus1", Tasklet(base, lambda x: x + 1))
    case("tasklet_lambda_plus2", Tasklet(base, lambda x: x + 2))
    case("tasklet_lambda_over_tasklet", Tasklet(base[0], lambda x: x * 2))
    case("tasklet_lambda_closure_int", Tasklet(base, _adder(5)))
    case("tasklet_lambda_closure_int_other", Tasklet(base, _adder(6)))
    case("tasklet_lambda_closure_list", Tasklet(base, _adder([1, 2])))
    case("tasklet_lambda_closure_dict", Tasklet(base, _adder({"k": 1, "j": (2,)})))
    case("tasklet_lambda_closure_frozenset", Tasklet(base, _adder(frozenset({"p", "q", "r"}))))
    case("tasklet_lambda_closure_task", Tasklet(base, _adder(t1)))
    case("tasklet_lambda_closure_array", Tasklet(base, _adder(np.arange(3))))
    case("tasklet_lambda_closure_module", Tasklet(base, _adder(np)))
    case("tasklet_lambda_closure_two_cells", Tasklet(base, _two_cells(1, "b")))
    case("tasklet_lambda_closure_empty_cell", Tasklet(base, _empty_cell()))
    case("tasklet_lambda_closure_unpicklable", Tasklet(base, _unpicklable_closure()))
    case("tasklet_lambda_default", Tasklet(base, lambda x, k=3: x + k))
    case("tasklet_lambda_default_other", Tasklet(base, lambda x, k=4: x + k))
    case("tasklet_lambda_default_task", Tasklet(base, lambda x, k=t2: (x, k)))
    case("tasklet_lambda_default_frozenset", Tasklet(base, lambda x, s=frozenset({"u", "v"}): x in s))
    case("tasklet_lambda_default_lambda", Tasklet(base, lambda x, g=lambda y: y: g(x)))
    case("tasklet_lambda_kwdefault", Tasklet(base, lambda x, *, k=3: x + k))
    case("tasklet_lambda_frozenset_const", Tasklet(base, lambda x: x in {"a", "b", "c"}))
    case("tasklet_lambda_tuple_const", Tasklet(base, lambda x: x in (1, (2, "three"))))
    case("tasklet_lambda_global_name", Tasklet(base, lambda x: np.sum(x)))
    case("tasklet_lambda_attr_name", Tasklet(base, lambda x: x.shape))
    case("tasklet_lambda_nested", Tasklet(base, _nested_lambda_factory()))
    case("tasklet_lambda_in_task_arg", double(Tasklet(base, lambda x: x[0])))

    # ---- return_tuple and iteratetask ------------------------------------
    r2a, r2b = split_two(4)
    case("return_tuple2_0", r2a)
    case("return_tuple2_1", r2b)
    r3 = split_three(5)
    case("return_tuple3_0", r3[0])
    case("return_tuple3_1", r3[1])
    case("return_tuple3_2", r3[2])
    case("return_tuple_used_as_arg", add(r2a, r3[2]))
    it_a, it_b, it_c = iteratetask(triple_of(1), 3)
    case("iteratetask_0", it_a)
    case("iteratetask_1", it_b)
    case("iteratetask_2", it_c)
    case("iteratetask_as_args", collect(*iteratetask(pair_of(9), 2)))

    # ---- numpy arrays ----------------------------------------------------
    for dt in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float16", "float32", "float64", "complex64", "complex128"):
        case(f"np_dtype_{dt}", np.arange(6).astype(dt))
    case("np_dtype_bool", np.array([True, False, True]))
    case("np_dtype_unicode_U5", np.array(["ab", "cdéfg", ""], dtype="U5"))
    case("np_dtype_bytes_S3", np.array([b"ab", b"xyz"], dtype="S3"))
    case("np_dtype_structured", np.array([(1, 2.5, b"ab"), (3, -1.0, b"cd")],
                                         dtype=[("a", "<i4"), ("b", "<f8"), ("c", "S2")]))
    case("np_dtype_structured_aligned", _aligned_struct())
    case("np_dtype_big_endian", np.arange(4, dtype=">i4"))
    case("np_dtype_float_nan_inf", np.array([np.nan, np.inf, -np.inf, -0.0]))
    case("np_0d_int", np.array(5))
    case("np_0d_float", np.array(2.5))
    case("np_empty_1d", np.zeros(0))
    case("np_empty_0x3", np.zeros((0, 3)))
    case("np_empty_3x0", np.zeros((3, 0), dtype=np.int32))
    case("np_1d", np.arange(10))
    case("np_2d", np.arange(12).reshape(3, 4))
    case("np_3d", np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    case("np_large_1d", np.arange(100_000, dtype=np.int64))
    mat = np.arange(12).reshape(3, 4)
    case("np_fortran", np.asfortranarray(mat))  # same key as np_2d: hashed as a C copy
    case("np_fortran_float", np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    case("np_transpose", mat.T)
    case("np_slice_step", np.arange(20)[::3])
    case("np_slice_reversed", np.arange(5)[::-1])
    case("np_slice_column", mat[:, 1])
    case("np_slice_row", mat[1])
    case("np_slice_2d_step", mat[::2, ::2])
    case("np_slice_single_strided", np.arange(10)[::4][:1])
    case("np_slice_empty_strided", np.arange(10)[::2][5:])
    case("np_byteswapped", np.arange(5, dtype=np.int32).byteswap().view(np.dtype(np.int32).newbyteorder()))
    case("np_astype_big_endian_float", np.arange(3.0).astype(">f8"))
    case("np_object_mixed", _object_array([1, "two", 3.0, None, (4, 5), [6], {"k": 7}, {8, 9}, b"x"]))
    case("np_object_2d", _object_array([1, "a", None, 2.5, (1,), []], shape=(2, 3)))
    case("np_object_fortran", np.asfortranarray(_object_array(list(range(6)), shape=(2, 3))))
    case("np_object_nested_array", _object_array([np.arange(3), np.zeros(2)]))
    case("np_object_with_task", _object_array([t1, 1]))
    case("np_scalar_in_object_array", _object_array([np.datetime64("2020-01-01"), datetime.date(2020, 1, 1)]))
    case("np_in_list", [np.arange(3), np.ones(2)])
    case("np_in_dict", {"arr": np.arange(4).reshape(2, 2), "n": 1})
    case("np_in_tuple_with_set", (np.arange(2), {1, 2}))
    case("task_np_arg", collect(np.arange(5), w=np.ones((2, 2))))
    case("task_np_fortran_arg", collect(np.asfortranarray(mat)))
    case("np_scalar_float64", np.float64(1.5))
    case("np_scalar_int32", np.int32(3))
    case("np_scalar_bool", np.bool_(True))
    case("np_scalar_complex128", np.complex128(1 - 1j))
    case("np_scalar_str", np.str_("numpy"))
    case("np_scalar_datetime64", np.datetime64("2020-01-01"))
    case("np_scalar_in_list", [np.float64(1.5), np.int64(2)])
    case("np_scalar_dict_key", {np.int64(1): "a", 2: "b"})
    case("np_scalar_task_arg", collect(np.float32(0.5)))

    return out


# Cases deliberately absent (they are not vectors):
#
# * namedtuple (or other list/tuple subclass) holding a Task: both Jug 2.7 and
#   jugcore raise TypeError (tested in tests/test_hash_golden.py).
# * datetime64/timedelta64 arrays: Jug 2.7 raises ValueError ("cannot include
#   dtype 'M' in a buffer") because such arrays expose no buffer; also tested.
# * an object pickled with a frozenset/set of strings inside it (e.g.
#   ``Point(frozenset({'a', 'b'}), 1)``): pickle writes the elements in
#   iteration order, which depends on PYTHONHASHSEED, so even Jug's keys for it
#   change from process to process.  make_hash_vectors.py checks every vector
#   under several seeds.
# * float128/longdouble arrays: their padding bytes are uninitialized memory.
