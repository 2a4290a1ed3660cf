"""The Python API exactly as Jug 2 jugfiles and scripts use it.

Where state is global (``Task.store``, ``alltasks``, ``is_jug_running``) the
code runs in a real subprocess: a plain ``python script.py`` or the `jug`
CLI.  The in-process tests use the ``store`` fixture, which installs a fresh
store and restores ``Task.store`` / empties ``alltasks`` afterwards.  Tests
parametrised with ``impl`` run the same script or jugfile under our `jug`
and under real Jug 2.7, and expect the same behaviour.
"""
import functools
import pickle
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import jug
import jugcore.model.task
from jugcore.model.barrier import BarrierError
from jug import Task, TaskGenerator, Tasklet, barrier, bvalue, iteratetask, return_tuple, value
from jug.task import alltasks, recursive_dependencies
from pytest_jug import JUG_BIN, sample_jugfile

PYTHON = Path(sys.executable)


# --- helpers ------------------------------------------------------------------
class Impl:
    """One implementation: its python (for scripts) and its `jug` executable."""

    def __init__(self, name, python, exe):
        self.name = name
        self.python = python
        self.exe = exe

    def run_script(self, folder, text, name="script.py", timeout=120):
        path = Path(folder) / name
        path.write_text(textwrap.dedent(text))
        return subprocess.run([str(self.python), str(path)], cwd=folder, capture_output=True, text=True,
                              timeout=timeout)

    def __repr__(self):
        return self.name


@pytest.fixture
def ours():
    return Impl("ours", PYTHON, JUG_BIN)


@pytest.fixture(params=["ours", "jug27"])
def impl(request):
    if request.param == "jug27":
        return Impl("jug27", request.getfixturevalue("jug27_python"), request.getfixturevalue("jug27"))
    return Impl("ours", PYTHON, JUG_BIN)


def show(proc):
    return f"rc={proc.returncode}\n--stdout--\n{proc.stdout}\n--stderr--\n{proc.stderr}"


@pytest.fixture
def store():
    """A fresh in-memory store for Task; the previous store and an empty alltasks afterwards."""
    saved = jugcore.model.task.Task.store
    del alltasks[:]
    try:
        yield jug.set_jugdir("dict_store")
    finally:
        jugcore.model.task.Task.store = saved
        del alltasks[:]


@pytest.fixture(params=["dict_store", "file"])
def any_store(request, tmp_path):
    """Like ``store``, for each kind of jugdir a script can name."""
    saved = jugcore.model.task.Task.store
    del alltasks[:]
    jugdir = "dict_store" if request.param == "dict_store" else str(tmp_path / "jd")
    try:
        yield jug.set_jugdir(jugdir)
    finally:
        jugcore.model.task.Task.store = saved
        del alltasks[:]


# --- task functions (top level, so they pickle and are named by reference) --------
def double(x):
    return 2 * x


def add(a, b=0):
    return a + b


def total(xs):
    return sum(xs)


def seq(n):
    return list(range(10, 10 + n))


def nested_pairs():
    return [(1, 2), (3, [4, 5])]


@TaskGenerator
def gen_double(x):
    return 2 * x


@return_tuple(2)
@TaskGenerator
def split2(x):
    return x, x + 1


@return_tuple(2)
@TaskGenerator
def split2_wrong(x):
    return x, x + 1, x + 2


def _make_nested_generator():
    def inner(x):
        return x

    return TaskGenerator(inner)


# --- imports ------------------------------------------------------------------
def test_public_names_import():
    from jug import (Task, TaskGenerator, Tasklet, barrier, bvalue, init,  # noqa: F401
                     is_jug_running, iteratetask, return_tuple, set_jugdir, value)
    from jug.hash import hash_one, hash_update, new_hash_object
    from jug.task import alltasks as at, recursive_dependencies as rd  # noqa: F401

    assert at is jugcore.model.task.alltasks
    for f in (barrier, bvalue, init, is_jug_running, iteratetask, return_tuple, set_jugdir, value, rd,
              hash_one, hash_update, new_hash_object):
        assert callable(f)
    M = new_hash_object()
    hash_update(M, [("a", 1)])
    assert re.fullmatch(rb"[0-9a-f]{40}", M.hexdigest().encode())
    h = hash_one({"x": [1, 2]})
    assert isinstance(h, bytes) and re.fullmatch(rb"[0-9a-f]{40}", h)
    assert h == hash_one({"x": [1, 2]}) != hash_one({"x": [2, 1]})


IMPORTS = """\
from jug import (Task, TaskGenerator, Tasklet, value, bvalue, barrier, iteratetask,
                 return_tuple, init, is_jug_running, set_jugdir)
from jug.task import alltasks, recursive_dependencies
from jug.hash import hash_one, hash_update, new_hash_object
from jug.barrier import BarrierError
print("ok", type(alltasks).__name__)
"""


def test_public_names_import_in_a_script(impl, tmp_path):
    proc = impl.run_script(tmp_path, IMPORTS)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.split() == ["ok", "list"]


# --- init / set_jugdir / is_jug_running --------------------------------------
PIPELINE = sample_jugfile(4)

READ_BACK = """\
import jug
from jug import value
from jug.task import alltasks
store, ns = jug.init("jf.py", JUGDIR)
assert isinstance(ns, dict), type(ns)
assert store is jug.Task.store, (store, jug.Task.store)
assert isinstance(ns["result"], jug.Task)
assert len(alltasks) == 5, len(alltasks)
print("loadable", ns["result"].can_load(), all(t.can_load() for t in ns["doubles"]))
if ns["result"].can_load():
    print("values", value(ns["result"]), value(ns["doubles"]))
"""


def test_init_returns_store_and_namespace(impl, jug, jugfile, tmp_path):
    jugfile(PIPELINE, name="jf.py")
    script = READ_BACK.replace("JUGDIR", repr("jf.jugdata"))
    before = impl.run_script(tmp_path, script)
    assert before.returncode == 0, show(before)
    assert before.stdout.splitlines() == ["loadable False False"], show(before)

    run = jug("execute", "--will-cite", "jf.py", cwd=tmp_path, jug=impl.exe)
    assert run.returncode == 0, run
    after = impl.run_script(tmp_path, script)
    assert after.returncode == 0, show(after)
    assert after.stdout.splitlines() == ["loadable True True", "values 12 [0, 2, 4, 6]"], show(after)


BARRIER_PIPELINE = """\
from jug import TaskGenerator, barrier, value

@TaskGenerator
def double(x):
    return 2 * x

first = double(3)
barrier()
second = double(value(first))
"""

ASK_BARRIER = """\
import jug
store, ns = jug.init("jf.py", "jf.jugdata")
print(ns.get("__jug__hasbarrier__"), "second" in ns)
"""


def test_init_says_when_a_barrier_stopped_the_jugfile(impl, jug, jugfile, tmp_path):
    # Scripts loop jug.init() while the namespace says a barrier stopped it.
    jugfile(BARRIER_PIPELINE, name="jf.py")
    before = impl.run_script(tmp_path, ASK_BARRIER)
    assert before.returncode == 0 and before.stdout.split() == ["True", "False"], show(before)
    run = jug("execute", "--will-cite", "jf.py", cwd=tmp_path, jug=impl.exe)
    assert run.returncode == 0, run
    after = impl.run_script(tmp_path, ASK_BARRIER)
    assert after.returncode == 0 and after.stdout.split() == ["None", "True"], show(after)


def test_init_expands_jugfile_in_jugdir(ours, jug, jugfile, tmp_path):
    # `jug execute sub/jf.py` uses sub/jf.jugdata; init() names the same jugdir
    # with the same %(jugfile)s substitution.
    (tmp_path / "sub").mkdir()
    jugfile(PIPELINE, name="sub/jf.py")
    run = jug("execute", "sub/jf.py", cwd=tmp_path)
    assert run.returncode == 0, run
    assert (tmp_path / "sub" / "jf.jugdata").is_dir()
    proc = ours.run_script(tmp_path, """\
        import jug
        store, ns = jug.init("sub/jf.py", "%(jugfile)s.jugdata")
        print(jug.value(ns["result"]))
    """)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.split() == ["12"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["script.py", "sub"], "no literal %(jugfile)s dir"
    assert sorted(p.name for p in (tmp_path / "sub").iterdir() if p.is_dir()) == ["jf.jugdata"]


def test_set_jugdir_dict_store_in_a_script(impl, tmp_path):
    proc = impl.run_script(tmp_path, """\
        from jug import Task, set_jugdir, value

        def double(x):
            return 2 * x

        store = set_jugdir("dict_store")
        assert Task.store is store
        t = Task(double, 21)
        assert not t.can_load()
        print(t.run(), value(t), t.can_load(), store.can_load(t.hash()))
    """)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.split() == ["42", "42", "True", "True"]


def test_set_jugdir_in_process(store):
    assert jugcore.model.task.Task.store is store
    t = Task(double, 5)
    assert t.run() == 10
    assert value(t) == 10
    assert store.can_load(t.hash())


RUNNING_JUGFILE = """\
import os
from jug import TaskGenerator, is_jug_running

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "at_import.txt"), "a") as f:
    f.write(str(is_jug_running()) + "\\n")

@TaskGenerator
def running():
    return is_jug_running()

flag = running()
"""


def test_is_jug_running(impl, jug, jugfile, tmp_path):
    jugfile(RUNNING_JUGFILE, name="jf.py")
    plain = impl.run_script(tmp_path, "from jug import is_jug_running\nprint(is_jug_running())\n")
    assert plain.returncode == 0, show(plain)
    assert plain.stdout.split() == ["False"]

    run = jug("execute", "--will-cite", "jf.py", cwd=tmp_path, jug=impl.exe)
    assert run.returncode == 0, run
    assert (tmp_path / "at_import.txt").read_text().split() == ["True"]

    read = impl.run_script(tmp_path, """\
        import jug
        store, ns = jug.init("jf.py", "jf.jugdata")
        print(jug.is_jug_running(), jug.value(ns["flag"]))
    """)
    assert read.returncode == 0, show(read)
    assert read.stdout.split() == ["False", "True"]  # the task ran under `jug execute`
    assert (tmp_path / "at_import.txt").read_text().split() == ["True", "False"]


# --- Task methods ---------------------------------------------------------------
def test_hash_is_40_hex_bytes_and_stable(store):
    t = Task(double, 3)
    h = t.hash()
    assert isinstance(h, bytes) and re.fullmatch(rb"[0-9a-f]{40}", h)
    assert t.hash() == h
    assert Task(double, 3).hash() == h
    assert gen_double(3).hash() != h  # a different function (name)
    assert Task(double, 4).hash() != h
    assert Task(add, 1, 2).hash() != Task(add, 1, b=2).hash()
    assert Task(add, 1, b=2).hash() == Task(add, 1, b=2).hash()
    assert Task(total, [Task(double, 1)]).hash() == Task(total, [Task(double, 1)]).hash()
    assert Task(total, [Task(double, 1)]).hash() != Task(total, [Task(double, 2)]).hash()


HASHES = """\
import functools
from jug import Task, TaskGenerator, Tasklet, set_jugdir

def double(x):
    return 2 * x

def add(a, b=0):
    return a + b

@TaskGenerator
def tg(x, y=None):
    return x

set_jugdir("dict_store")
a = Task(double, 3)
tasks = [
    a,
    Task(add, 1, b=2.5),
    Task(add, [1, (2, "x")], b={"k": None, "j": {1, 2}}),
    Task(functools.partial(add, 1), b=2),
    Task(add, tg, b=[tg]),
    tg(a, y=[a[0], a[1:3]]),
    a[0],
    a[0][1],
]
for t in tasks:
    print(t.hash().decode() if isinstance(t, Task) else t.__jug_hash__().decode())
"""


def test_hashes_are_stable_across_processes_and_match_jug27(tmp_path, ours, request):
    first = ours.run_script(tmp_path, HASHES)
    second = ours.run_script(tmp_path, HASHES)
    assert first.returncode == 0, show(first)
    assert first.stdout == second.stdout
    lines = first.stdout.split()
    assert len(lines) == 8 and all(re.fullmatch(r"[0-9a-f]{40}", h) for h in lines)
    python27 = request.getfixturevalue("jug27_python")
    theirs = Impl("jug27", python27, None).run_script(tmp_path, HASHES)
    assert theirs.returncode == 0, show(theirs)
    assert theirs.stdout == first.stdout


def test_run_stores_and_can_load(store):
    t = Task(double, 7)
    assert not t.can_load()
    assert not t.is_loaded()
    assert t.run() == 14
    assert t.can_load()
    assert t.is_loaded()
    assert store.can_load(t.hash())
    assert store.load(t.hash()) == 14


def test_run_without_save(store):
    t = Task(double, 8)
    assert t.run(save=False) == 16
    assert not t.can_load()
    assert value(t) == 16


def test_value_and_result_load_from_the_store(store):
    t = Task(double, 9)
    t.run()
    other = Task(double, 9)  # a second object for the same call
    assert not other.is_loaded()
    assert other.value() == 18
    assert other.result == 18
    assert other.is_loaded()


def test_unload_and_is_loaded(store):
    t = Task(double, 2)
    assert not t.is_loaded()
    t.run()
    assert t.is_loaded()
    t.unload()
    assert not t.is_loaded()
    assert t.can_load()
    assert t.value() == 4
    assert t.is_loaded()


def test_invalidate_removes_the_result(store):
    t = Task(double, 11)
    t.run()
    assert t.can_load()
    t.invalidate()
    assert not t.can_load()
    assert not store.can_load(t.hash())
    assert not Task(double, 11).can_load()


def test_dependencies_through_containers_and_tasklets(store):
    a, b, c, d, e, f = (Task(double, i) for i in range(6))
    t = Task(add, [a, (b, {"k": c, "l": [d[0]]})], b=(e[1:2][0], {"z": f}, 5, "text"))
    deps = list(t.dependencies())
    assert {id(x) for x in deps} == {id(x) for x in (a, b, c, d, e, f)}
    assert all(isinstance(x, Task) for x in deps)
    assert list(Task(double, 3).dependencies()) == []
    assert [id(x) for x in d[0].dependencies()] == [id(d)]


def _runs_once_ready(t, last_dependency, expected):
    """``t`` cannot run until ``last_dependency`` has run; then it runs to ``expected``."""
    assert not t.can_run()
    last_dependency.run()
    assert t.can_run()
    assert t.run() == expected


def test_can_run(store):
    a = Task(double, 1)
    b = Task(double, 2)
    s = Task(total, [a, b])
    assert a.can_run() and b.can_run()
    assert not s.can_run()
    a.run()
    _runs_once_ready(s, b, 6)


def test_can_run_through_a_tasklet(store):
    base = Task(seq, 3)
    t = Task(double, base[1])
    _runs_once_ready(t, base, 22)


def test_lock_unlock_is_locked(any_store):
    t = Task(double, 100)
    same = Task(double, 100)
    assert not t.is_locked()
    assert t.lock()
    assert t.is_locked() and same.is_locked()
    assert not same.lock()
    t.unlock()
    assert not t.is_locked() and not same.is_locked()
    assert same.lock()
    same.unlock()


def test_fail_and_is_failed(any_store):
    t = Task(double, 101)
    assert not t.is_failed()
    assert t.lock()
    assert t.fail()
    assert t.is_failed()
    assert t.is_locked()
    assert Task(double, 101).is_failed()
    assert not Task(double, 101).lock()
    t.unlock()
    assert not t.is_failed() and not t.is_locked()


def test_recursive_dependencies(store):
    a = Task(double, 1)
    b = Task(double, a)
    c = Task(add, b, a)
    d = Task(total, [c, b])
    assert {id(x) for x in recursive_dependencies(d)} == {id(a), id(b), id(c)}
    all_deps = list(recursive_dependencies(d))
    assert len(all_deps) == 3  # each once, although reachable by several paths
    assert {id(x) for x in recursive_dependencies(d, max_level=1)} == {id(b), id(c)}
    assert {id(x) for x in recursive_dependencies(d, 2)} == {id(a), id(b), id(c)}
    assert list(recursive_dependencies(d, max_level=0)) == []
    assert len(list(recursive_dependencies(d, max_level=None))) == 3
    assert list(recursive_dependencies(a)) == []


def test_recursive_dependencies_max_level_on_a_chain(store):
    chain = [Task(double, 1)]
    for _ in range(4):
        chain.append(Task(double, chain[-1]))
    top = chain[-1]
    for level in range(1, 6):
        got = {id(x) for x in recursive_dependencies(top, max_level=level)}
        assert got == {id(x) for x in chain[-1 - min(level, 4):-1]}, level


def test_alltasks_records_every_task(store):
    assert alltasks == []
    a = Task(double, 1)
    b = gen_double(a)
    c, d = split2(b)
    assert [id(t) for t in alltasks] == [id(a), id(b), id(c.base)]
    assert c.base is d.base


# --- Tasklets ------------------------------------------------------------------------
def test_tasklets_index_slice_and_nest(store):
    t = Task(seq, 5)
    first, middle = t[0], t[1:3]
    deep = Task(nested_pairs)[1][1][0]
    assert isinstance(first, Tasklet) and isinstance(middle, Tasklet) and isinstance(deep, Tasklet)
    assert isinstance(middle[0], Tasklet)
    t.run()
    deep.base.base.base.run()
    assert value(first) == 10
    assert first.value() == 10
    assert value(middle) == [11, 12]
    assert value(middle[1]) == 12
    assert value(deep) == 4
    assert value([first, middle[0], {"d": deep}]) == [10, 11, {"d": 4}]
    # a Tasklet in a task's arguments
    u = Task(add, t[0], t[4])
    assert u.run() == 24


def test_tasklet_constructor_accepts_lambda(store):
    t = Task(seq, 3)
    tl = Tasklet(t, lambda r: r[-1] * 10)
    again = Tasklet(t, lambda r: r[-1] * 10)
    other = Tasklet(t, lambda r: r[-1] * 100)
    assert tl.__jug_hash__() == again.__jug_hash__()
    assert tl.__jug_hash__() != other.__jug_hash__()
    t.run()
    assert value(tl) == 120
    assert value(other) == 1200
    assert Task(double, tl).run() == 240


@pytest.mark.parametrize("what", ["task", "tasklet"])
def test_iterating_a_task_raises(store, what):
    t = Task(seq, 3)
    target = t if what == "task" else t[0:2]
    with pytest.raises(TypeError):
        for _ in target:
            pass
    with pytest.raises(TypeError):
        a, b, c = target


def test_iteratetask_unpacks(store):
    t = Task(seq, 3)
    a, b, c = iteratetask(t, 3)
    assert all(isinstance(x, Tasklet) for x in (a, b, c))
    assert len(iteratetask(t, 3)) == 3
    assert len(list(iteratetask(t, 3))) == 3
    t.run()
    assert [value(a), value(b), value(c)] == [10, 11, 12]


def test_return_tuple(store):
    a, b = split2(5)
    assert isinstance(a, Tasklet) and isinstance(b, Tasklet)
    assert a.base is b.base and isinstance(a.base, Task)
    assert a.base.run() == (5, 6)
    assert (value(a), value(b)) == (5, 6)
    assert Task(add, a, b).run() == 11


def test_return_tuple_wrong_size_raises_at_run_time(store):
    a, b = split2_wrong(1)  # defining is fine
    assert a.base.run() == (1, 2, 3)
    with pytest.raises(ValueError):
        value(a)
    with pytest.raises(ValueError):
        Task(add, a, b).run()


WRONG_SIZE_JUGFILE = """\
from jug import TaskGenerator, return_tuple

@return_tuple(2)
@TaskGenerator
def three(x):
    return x, x, x

@TaskGenerator
def add(a, b):
    return a + b

a, b = three(1)
s = add(a, b)
"""


def test_return_tuple_wrong_size_fails_under_execute(impl, jug, jugfile, tmp_path):
    jugfile(WRONG_SIZE_JUGFILE, name="jf.py")
    run = jug("execute", "--will-cite", "jf.py", cwd=tmp_path, jug=impl.exe)
    assert run.returncode != 0, run
    assert "ValueError" in run.output and "jf.add" in run.output, run


# --- lambdas and partials -----------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: Task(lambda x: x, 1),
    lambda: TaskGenerator(lambda x: x)(1),
], ids=["Task", "TaskGenerator"])
def test_lambda_is_refused(store, make):
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    assert "lambda" in message and "def" in message, message
    assert alltasks == []


def test_lambda_refused_like_jug27(impl, tmp_path):
    proc = impl.run_script(tmp_path, """\
        from jug import Task, TaskGenerator
        for make in (lambda: Task(lambda x: x, 1), lambda: TaskGenerator(lambda x: x)(1)):
            try:
                make()
            except ValueError as e:
                print("ValueError", "lambda" in str(e), "def" in str(e))
    """)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.splitlines() == ["ValueError True True"] * 2


def test_partial_is_unwrapped(store):
    t = Task(functools.partial(add, 1), 2)
    assert t.hash() == Task(add, 1, 2).hash()
    assert t.f is add and t.name == Task(add, 1, 2).name
    kw = Task(functools.partial(add, b=2), 1)
    assert kw.hash() == Task(add, 1, b=2).hash()
    twice = Task(functools.partial(functools.partial(add), 1), b=3)
    assert twice.hash() == Task(add, 1, b=3).hash()
    via_generator = TaskGenerator(functools.partial(add, 1))(2)
    assert via_generator.hash() == t.hash()
    assert t.run() == 3 and kw.run() == 3 and twice.run() == 4


# --- TaskGenerator pickling -----------------------------------------------------------
def test_task_generator_pickles_by_reference(store):
    data = pickle.dumps(gen_double)
    assert len(data) < 200  # a reference (module, name), not the code
    again = pickle.loads(data)
    assert isinstance(again, TaskGenerator)
    t = again(4)  # calls the same function: the same task as gen_double(4)
    assert isinstance(t, Task)
    assert t.name == gen_double(4).name
    assert t.hash() == gen_double(4).hash()
    assert t.run() == 8


def test_task_generator_pickles_by_reference_in_a_script(ours, tmp_path):
    # (Jug 2.7 itself fails here: its unpickled TaskGenerator wraps the
    # TaskGenerator, and calling it raises AttributeError: no __name__.)
    proc = ours.run_script(tmp_path, """\
        import pickle
        from jug import TaskGenerator, set_jugdir

        @TaskGenerator
        def triple(x):
            return 3 * x

        set_jugdir("dict_store")
        again = pickle.loads(pickle.dumps(triple))
        print(again(2).hash() == triple(2).hash(), again(2).run(), again(2).name)
    """)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.split() == ["True", "6", "__main__.triple"]


def test_task_generator_pickle_is_jug27_s(ours, tmp_path, request):
    # The pickle is what goes into the key of a task taking a TaskGenerator.
    script = """\
        import pickle
        from jug import TaskGenerator

        @TaskGenerator
        def triple(x):
            return 3 * x

        print(pickle.dumps(triple, protocol=2).hex())
    """
    mine = ours.run_script(tmp_path, script)
    theirs = Impl("jug27", request.getfixturevalue("jug27_python"), None).run_script(tmp_path, script)
    assert mine.returncode == theirs.returncode == 0, (show(mine), show(theirs))
    assert mine.stdout == theirs.stdout


def test_nested_task_generator_cannot_be_pickled(store):
    nested = _make_nested_generator()
    with pytest.raises(RuntimeError) as info:
        pickle.dumps(nested)
    message = str(info.value)
    assert "inner" in message or "TaskGenerator" in message, message
    assert "top" in message and "level" in message, message


def test_nested_task_generator_like_jug27(impl, tmp_path):
    proc = impl.run_script(tmp_path, """\
        import pickle
        from jug import TaskGenerator

        def make():
            def inner(x):
                return x
            return TaskGenerator(inner)

        try:
            pickle.dumps(make())
        except RuntimeError as e:
            print("RuntimeError", "top" in str(e) and "level" in str(e))
    """)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.split() == ["RuntimeError", "True"]


# --- value() of structures ------------------------------------------------------------
def test_value_of_nested_structures(store):
    a, b = Task(double, 1), Task(double, 2)
    s = Task(seq, 2)
    for t in (a, b, s):
        t.run()
    structure = [a, (b, {"x": s, "y": [s[1], (a,)]}), 5, "text", None]
    got = value(structure)
    assert got == [2, (4, {"x": [10, 11], "y": [11, (2,)]}), 5, "text", None]
    assert type(got[1]) is tuple and type(got[1][1]) is dict and type(got[1][1]["y"][1]) is tuple
    assert value({"k": (a, b)}) == {"k": (2, 4)}
    assert value(()) == () and value([]) == [] and value({}) == {}
    assert value(7) == 7
    assert structure[0] is a  # the input is not modified


# --- barrier() and bvalue() outside `jug execute` ---------------------------------------
BARRIER_SCRIPT = """\
import jug
from jug import barrier, bvalue
from jug.barrier import BarrierError
store, ns = jug.init("jf.py", "jf.jugdata")
for name, call in [("barrier", barrier), ("bvalue", lambda: bvalue(ns["result"])),
                   ("bvalue-list", lambda: bvalue(ns["doubles"]))]:
    try:
        print(name, "returned", call())
    except BarrierError as e:
        print(name, "raised", type(e).__module__ + "." + type(e).__name__)
"""


def test_barrier_and_bvalue_in_a_script(impl, jug, jugfile, tmp_path):
    jugfile(PIPELINE, name="jf.py")
    incomplete = impl.run_script(tmp_path, BARRIER_SCRIPT)
    assert incomplete.returncode == 0, show(incomplete)
    lines = incomplete.stdout.splitlines()
    assert [l.split()[:2] for l in lines] == [["barrier", "raised"], ["bvalue", "raised"],
                                              ["bvalue-list", "raised"]], show(incomplete)

    run = jug("execute", "--will-cite", "jf.py", cwd=tmp_path, jug=impl.exe)
    assert run.returncode == 0, run
    complete = impl.run_script(tmp_path, BARRIER_SCRIPT)
    assert complete.returncode == 0, show(complete)
    assert complete.stdout.splitlines() == [
        "barrier returned None", "bvalue returned 12", "bvalue-list returned [0, 2, 4, 6]",
    ], show(complete)


def test_barrier_error_is_jugcore_s(ours, jugfile, tmp_path):
    jugfile(PIPELINE, name="jf.py")
    proc = ours.run_script(tmp_path, BARRIER_SCRIPT)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.split()[2] == "jugcore.model.barrier.BarrierError", show(proc)
    from jug.barrier import BarrierError as from_jug

    assert from_jug is BarrierError


SUBMODULES = """\
import jug
from jug.barrier import BarrierError
import jug.barrier
print(callable(jug.barrier), callable(jug.bvalue))
print(jug.task.alltasks == [], jug.task.Task is jug.Task, callable(jug.hash.hash_one), callable(jug.jug.init))
"""


def test_jug_package_attributes_like_jug27(impl, tmp_path):
    # Jugfiles call jug.barrier() after something imported jug.barrier (the
    # module, for BarrierError), and scripts use jug.task.alltasks after a
    # bare `import jug`.
    proc = impl.run_script(tmp_path, SUBMODULES)
    assert proc.returncode == 0, show(proc)
    assert proc.stdout.split() == ["True"] * 6, show(proc)


def test_barrier_in_process(store):
    a = Task(double, 1)
    with pytest.raises(BarrierError):
        barrier()
    with pytest.raises(BarrierError):
        bvalue(a)
    a.run()
    assert barrier() is None
    assert bvalue([a, {"k": a}]) == [2, {"k": 2}]
    Task(double, a)  # not run
    with pytest.raises(BarrierError):
        barrier()
    assert bvalue(a) == 2  # bvalue only needs its own argument


# --- `jug execute` options that check the API's contract ------------------------------------
MUTATING_JUGFILE = """\
import numpy as np
from jug import TaskGenerator

@TaskGenerator
def bump(arr):
    arr += 1
    return float(arr.sum())

@TaskGenerator
def grow(s):
    s.add(99)
    return len(s)

x = bump(np.zeros(3))
"""


@pytest.mark.parametrize("which", ["numpy", "set"])
def test_debug_catches_a_task_mutating_its_input(impl, jug, jugfile, tmp_path, which):
    text = MUTATING_JUGFILE if which == "numpy" else MUTATING_JUGFILE.replace(
        "x = bump(np.zeros(3))", "x = grow({1, 2})")
    name = "jf.bump" if which == "numpy" else "jf.grow"
    jugfile(text, name="jf.py")
    run = jug("execute", "--will-cite", "--debug", "jf.py", cwd=tmp_path, jug=impl.exe)
    assert run.returncode != 0, run
    out = run.output.lower()
    assert name in run.output, run
    assert "changed" in out and "argument" in out, run


def test_debug_mutation_result_not_kept(ours, jug, jugfile, tmp_path):
    jugfile(MUTATING_JUGFILE, name="jf.py")
    run = jug("execute", "--debug", "jf.py", cwd=tmp_path)
    assert run.returncode == 1, run
    assert "in place" in run.output or "modif" in run.output, run
    # without --debug the same jugfile runs (the mutation is not detected)
    plain = jug("execute", "jf.py", cwd=tmp_path)
    assert plain.returncode == 0, plain


AGGRESSIVE_JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def start():
    return [1, 2]

@TaskGenerator
def step(xs, i):
    return xs + [xs[-1] + i]

@TaskGenerator
def pair(xs):
    return xs[0], xs[-1]

@TaskGenerator
def combine(chain, first, last):
    return [sum(c) for c in chain], first, last

chain = [start()]
for i in range(6):
    chain.append(step(chain[-1], i))
ends = pair(chain[3])
final = combine(chain, ends[0], ends[1])
"""


def _print_value(impl, folder, name):
    """A script under ``impl`` that prints ``jug.value(ns[name])`` from jf.py's jugdir: its finished process."""
    read = impl.run_script(folder, f"""\
        import jug
        store, ns = jug.init("jf.py", "jf.jugdata")
        print(jug.value(ns["{name}"]))
    """)
    assert read.returncode == 0, show(read)
    return read


def test_aggressive_unload_completes_a_chain(impl, jug, jugfile, tmp_path):
    jugfile(AGGRESSIVE_JUGFILE, name="jf.py")
    run = jug("execute", "--will-cite", "--aggressive-unload", "jf.py", cwd=tmp_path, jug=impl.exe)
    assert run.returncode == 0, run
    read = _print_value(impl, tmp_path, "final")
    assert read.stdout.strip() == "([3, 5, 8, 13, 21, 33, 50], 1, 5)", show(read)


def test_aggressive_unload_across_a_bvalue(ours, jug, jugfile, tmp_path):
    # With a barrier: the second import pass loads earlier results after they
    # were unloaded from memory.
    jugfile(AGGRESSIVE_JUGFILE + "\nfrom jug import bvalue\nn = len(bvalue(final)[0])\n"
            "more = [step(chain[-1], n + k) for k in range(2)]\n", name="jf.py")
    run = jug("execute", "--aggressive-unload", "jf.py", cwd=tmp_path)
    assert run.returncode == 0, run
    read = _print_value(ours, tmp_path, "more")
    assert read.stdout.strip() == "[[1, 2, 2, 3, 5, 8, 12, 17, 24], [1, 2, 2, 3, 5, 8, 12, 17, 25]]", show(read)


PDB_JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def boom(x):
    y = x + 1
    raise ZeroDivisionError("planned failure")

b = boom(1)
"""


def test_pdb_opens_the_debugger_on_failure(impl, jug, jugfile, tmp_path):
    jugfile(PDB_JUGFILE, name="jf.py")
    run = jug("execute", "--will-cite", "--pdb", "jf.py", cwd=tmp_path, jug=impl.exe, input="p y\nq\n",
              timeout=60)
    assert "(Pdb)" in run.output, run
    assert run.returncode != 0, run
    assert "\n2\n" in run.stdout or "(Pdb) 2" in run.stdout, run  # `p y` ran in the task's frame
