"""In-process checks of the Python API pieces (map's block access, compound
tasks, wrappers, CachedFunction, describe, Store.metadata), on an in-memory
store or a file jugdir; tests/test_api_extras.py runs them under `jug` and
against Jug 2.7."""
import pickle
import warnings

import pytest

import jug
import jugcore.errors
import jugcore.model.task
from jug import CachedFunction, CompoundTask, Task, TaskGenerator, Tasklet, mapreduce, value
from jug.barrier import BarrierError
from jug.io import NoLoad
from jug.task import alltasks, describe
from jug.unsafe import NoHash
from jug.utils import CustomHash, identity


@pytest.fixture(params=["dict_store", "file"])
def store(request, tmp_path):
    saved = jugcore.model.task.Task.store
    del alltasks[:]
    try:
        yield jug.set_jugdir("dict_store" if request.param == "dict_store" else str(tmp_path / "jd"))
    finally:
        jugcore.model.task.Task.store = saved
        del alltasks[:]


def square(x):
    return x * x


def add(a, b):
    return a + (sum(b) if isinstance(b, tuple) else b)


def total(xs):
    return sum(xs)


@TaskGenerator
def tg_square(x):
    return x * x


def run_all():
    """Run every task created so far, dependencies first."""
    tasks = list(alltasks)
    jugcore.model.task.topological_sort(tasks)
    for t in tasks:
        if not t.can_load():
            t.run()


# --- map's block access ----------------------------------------------------------
def test_block_access_behaves_like_the_list_of_results(store):
    m = mapreduce.map(square, list(range(10)))
    assert len(m.blocks) == 3 and len(m) == 10
    run_all()
    expected = [x * x for x in range(10)]
    assert value(m) == expected
    bounds = list(range(-12, 13)) + [None]
    for start in bounds:
        for stop in bounds:
            for step in (None, 1, 2, 3, -1, -2, -4):
                view = m[start:stop:step]
                assert len(view) == len(expected[start:stop:step])
                assert value(view) == expected[start:stop:step], (start, stop, step)
    for i in range(-10, 10):
        assert value(m[i]) == expected[i]
        assert value(m[2:9][1:][i % 6]) == expected[2:9][1:][i % 6]


def test_block_access_refuses_what_a_list_refuses(store):
    m = mapreduce.map(square, list(range(5)), map_step=2)
    for bad in (5, -6):
        with pytest.raises(IndexError):
            m[bad]
        with pytest.raises(IndexError):
            m[:][bad]
    with pytest.raises(TypeError):
        m["1"]
    with pytest.raises(TypeError):
        iter(m)


def test_a_slice_needs_only_the_blocks_it_covers(store):
    m = mapreduce.map(square, list(range(12)))  # blocks of 4
    assert m[5:7].__jug_dependencies__() == [m.blocks[1]]
    assert m[3:9:5].__jug_dependencies__() == [m.blocks[0], m.blocks[2]]
    consumer = Task(total, m[4:8])
    assert list(consumer.dependencies()) == [m.blocks[1]]
    m.blocks[1].run()
    assert consumer.can_run() and consumer.run() == sum(x * x for x in range(4, 8))


def test_task_generator_mapper_keys_as_the_plain_function_with_map_step_1(store):
    assert [t.hash() for t in mapreduce.map(tg_square, [1, 2], map_step=1)] == \
        [Task(tg_square.f, x).hash() for x in (1, 2)]
    assert mapreduce.currymap(tg_square, [(3,)], map_step=1)[0].hash() == Task(tg_square.f, 3).hash()


def test_mapreduce_and_reduce_group_as_asked(store):
    t = mapreduce.mapreduce(add, square, list(range(30)), map_step=2, reduce_step=2)
    names = [x.name for x in alltasks]
    assert names.count("jug.mapreduce._jug_map_reduce") == 15
    assert names.count("jug.mapreduce._jug_reduce") == 8 + 4 + 2 + 1
    run_all()
    assert value(t) == sum(x * x for x in range(30))
    empty = mapreduce.reduce(add, [])
    assert empty.name == "identity"
    run_all()
    assert value(empty) == []


# --- tasks as subscripts, tasks in sets -----------------------------------------------
def test_a_task_used_as_subscript_is_an_input(store):
    base = Task(square, 3)
    index = Task(total, [0, 1])
    item = base[index]
    assert {id(d) for d in Task(add, item, 1).dependencies()} == {id(base), id(index)}
    assert [id(d) for d in base[1].dependencies()] == [id(base)]  # a plain index adds nothing
    seq = Task(list, range(5))
    seq.run()
    with pytest.raises(KeyError):
        value(seq[index])  # the index has no result yet
    index.run()
    assert value(seq[index]) == 1


def test_tasks_in_a_set_are_keyed_but_neither_waited_for_nor_loaded(store):
    # As in Jug 2.7: the set's members go into the key, not into dependencies(),
    # and the function receives the Task objects themselves.
    a = Task(square, 2)
    user = Task(list, {a, 5})
    assert list(user.dependencies()) == []
    assert user.hash() != Task(list, {Task(square, 3), 5}).hash()
    assert sorted(type(x).__name__ for x in user.run()) == ["Task", "int"]


# --- compound tasks ---------------------------------------------------------------------
def test_compound_task_builds_once_then_loads(store):
    calls = []

    def build(n):
        calls.append(n)
        return Task(total, [Task(square, i) for i in range(n)])

    build.__module__ = __name__
    globals()["build"] = build  # pickled by reference
    try:
        first = CompoundTask(build, 4)
        assert not any(t.name.endswith(".build") for t in alltasks)  # only its key was used
        key = Task(build, 4).hash()
        alltasks.pop()
        assert first.hash() == key and first.name == "jug.compound.compound_task_execute"
        first._check_hash()  # its key is not its arguments' hash, by design
        run_all()
        assert calls == [4] and store.load(key) == 14
        again = CompoundTask(build, 4)
        assert calls == [4]  # not called again
        assert type(again) is Task and again.hash() == key and value(again) == 14
    finally:
        del globals()["build"]


# --- wrappers, identity, CachedFunction ----------------------------------------------
def test_wrappers_pass_values_and_dependencies(store):
    dep = Task(square, 4)
    for wrapper in (NoHash(dep), CustomHash(dep, lambda obj: b"fixed"), NoLoad(dep)):
        user = Task(list, [wrapper])
        assert [id(d) for d in user.dependencies()] == [id(dep)]
    dep.run()
    assert value(NoHash(dep)) == 16 and value(CustomHash(dep, str)) == 16
    wrapped = NoLoad(dep)
    assert value(wrapped) is wrapped and value(wrapped.base) == 16
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert wrapped.t is dep
    assert caught and caught[0].category is DeprecationWarning
    with pytest.raises(NotImplementedError):
        wrapped[0]
    pending = NoLoad(Task(square, 5))
    assert jug.bvalue([pending]) == [pending]  # as in Jug 2.7: its value needs no result
    with pytest.raises(BarrierError):
        jug.bvalue([pending.base])


def test_identity(store):
    t = Task(square, 5)
    assert identity(t) is t and identity(t[0]).base is t
    ident = identity([1, 2])
    assert ident.name == "identity" and ident.run() == [1, 2]


def test_cached_function_runs_once_and_stores(store):
    calls = []

    def counted(x):
        calls.append(x)
        return x + 1

    counted.__module__ = __name__
    globals()["counted"] = counted
    try:
        assert CachedFunction(counted, 1) == 2 and CachedFunction(counted, 1) == 2
        assert calls == [1]
        assert Task(counted, 1).can_load()
        with pytest.raises(ValueError, match="unable to run task"):
            CachedFunction(counted, Task(square, 9))
    finally:
        del globals()["counted"]


# --- describe and Store.metadata ---------------------------------------------------------
def test_describe_and_metadata(store, request):
    a = Task(square, 3)
    b = Task(add, a, b=(1, a))
    is_file = request.node.callspec.params["store"] == "file"
    assert store.metadata(b.hash()) == ({"computed": False} if is_file else None)
    run_all()
    meta = store.metadata(b.hash())
    if is_file:
        assert meta["computed"] is True and isinstance(meta["completed"], str)
    else:
        assert meta is None
    described = describe(b)
    assert described["name"].endswith(".add")
    assert described["args"][0]["name"].endswith(".square") and described["args"][0]["args"] == [3]
    assert described["kwargs"]["b"][0] == 1 and described["kwargs"]["b"][1]["args"] == [3]
    assert value(b) == 9 + 1 + 9
    assert ("meta" in described) == is_file
    assert describe(Tasklet(a, square))["base"]["name"].endswith(".square")
    assert describe(a["k"])["operation"] == "jug.task._getitem(k)"  # Jug 2.7's text


def test_write_task_out_metadata_format_errors_are_clear_and_leave_no_file(store, tmp_path):
    import importlib.util

    from jug.io import write_metadata, write_task_out

    a = Task(square, 6)
    a.run()
    bad = write_task_out(a, str(tmp_path / "out.pkl"), metadata_fname=str(tmp_path / "m.txt"),
                         metadata_format="xml")
    with pytest.raises(jugcore.errors.JugError, match="unknown metadata format 'xml'"):
        bad.run()
    assert list(tmp_path.glob("m.txt*")) == [] and not (tmp_path / "out.pkl").exists()
    if importlib.util.find_spec("yaml") is None:
        with pytest.raises(jugcore.errors.JugError, match="needs PyYAML"):
            write_metadata(a, str(tmp_path / "m.yaml")).run()
        assert list(tmp_path.glob("m.yaml*")) == []
    write_task_out(a, str(tmp_path / "out.pkl")).run()
    assert pickle.loads((tmp_path / "out.pkl").read_bytes()) == 36
