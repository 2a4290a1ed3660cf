"""Big arguments that many tasks share are fed to SHA-1 once per batch of keys
(jugcore/formats/hashing_shared.py), the keys staying Jug 2.7's; what a batch
remembers goes with it, so a later batch sees objects as they are then."""
import gc
import json
import weakref
from pathlib import Path

import numpy as np
import pytest

from jugcore.formats import hashing
from jugcore.formats.hashing import task_key
from jugcore.model.task import Task, alltasks, task_keys
from tests.test_hash_golden import _build_cases, _load_cases_module

GOLDEN = Path(__file__).resolve().parent / "golden"


def shared(data, i):
    return i


def shared_last(i, data):
    return i


@pytest.fixture
def tasks():
    """Task(f, *args), the tasks made forgotten by jug's task list at the end."""
    before = len(alltasks)
    yield Task
    del alltasks[before:]


@pytest.fixture
def hook_calls():
    """The objects offered to the object hook (numpy arrays among them), in order."""
    offered = []
    previous = hashing.object_hook

    def counting(obj):
        offered.append(obj)
        return previous(obj)

    hashing.use_object_hook(counting)
    yield offered
    hashing.use_object_hook(previous)


def test_keys_of_shared_arguments_hashed_in_one_batch_equal_jug27s():
    module = _load_cases_module("shared_cases")
    vectors = json.loads((GOLDEN / "shared_vectors.json").read_text())
    assert vectors["generator"] == "jug 2.7.0"
    cases = _build_cases(module)
    assert set(cases) == set(vectors["vectors"])
    keys = task_keys(list(cases.values()))
    assert {name: key.decode() for name, key in zip(cases, keys)} == vectors["vectors"]


@pytest.mark.parametrize("position, serialised", [("first", 1), ("last", 2)])
def test_an_array_twenty_tasks_share_is_serialised_once_first_at_most_twice_last(tasks, hook_calls, position,
                                                                                serialised):
    array = np.arange(50000, dtype=np.float64)
    batch = [tasks(shared, array, i) if position == "first" else tasks(shared_last, i, array) for i in range(20)]
    keys = task_keys(batch)
    assert sum(obj is array for obj in hook_calls) == serialised
    assert keys == [task_key(t.name, t.args, t.kwargs) for t in batch]


def test_small_arguments_are_not_remembered(tasks, hook_calls):
    array = np.arange(10, dtype=np.float64)  # below the size worth remembering
    task_keys([tasks(shared_last, i, array) for i in range(5)])
    assert sum(obj is array for obj in hook_calls) == 5


def test_a_new_object_at_a_freed_objects_id_gets_its_own_key(tasks):
    first = list(range(3000))
    old_id = id(first)
    old_keys = task_keys([tasks(shared, first, i) for i in range(3)] + [tasks(shared_last, 0, first)])
    del first
    alltasks.clear()  # the tasks held the list
    gc.collect()
    kept = []  # objects that did not land on the freed id stay alive, so the next one tries another
    for _ in range(10000):
        second = list(range(1, 3001))
        if id(second) == old_id:
            break
        kept.append(second)
    else:
        pytest.fail("no new list was allocated at the freed list's id(); the test cannot show anything")
    batch = [tasks(shared, second, i) for i in range(3)] + [tasks(shared_last, 0, second)]
    new_keys = task_keys(batch)
    assert new_keys == [task_key(t.name, t.args, t.kwargs) for t in batch]
    assert not set(new_keys) & set(old_keys)


def test_an_argument_changed_between_batches_gets_a_new_key(tasks):
    data = list(range(3000))
    before = task_keys([tasks(shared, data, 0), tasks(shared_last, 0, data)])
    data.append(-1)
    after = task_keys([tasks(shared, data, 0), tasks(shared_last, 0, data)])
    assert not set(before) & set(after)
    assert after == [task_key("tests.test_shared_arguments.shared", (data, 0), {}),
                     task_key("tests.test_shared_arguments.shared_last", (0, data), {})]


def test_nothing_is_kept_once_the_batch_is_hashed(tasks):
    array = np.arange(50000, dtype=np.float64)
    gone = weakref.ref(array)
    task_keys([tasks(shared, array, i) for i in range(3)] + [tasks(shared_last, 0, array)])
    del array
    alltasks.clear()
    gc.collect()
    assert gone() is None


BARRIER_JUGFILE = """\
from jug import TaskGenerator, barrier

@TaskGenerator
def head(data, i):
    return data[-1] + i

@TaskGenerator
def tail(i, data):
    return data[-1] - i

data = list(range(3000))
before = [head(data, i) for i in range(3)] + [tail(i, data) for i in range(3)]
barrier()
data.append(-5)  # same object, new content: the tasks below have new keys
after = [head(data, i) for i in range(3)] + [tail(i, data) for i in range(3)]
"""


def _result_keys(jugdir):
    return {p.parent.name + p.name for p in Path(jugdir).glob("??/*")}


def test_an_argument_changed_after_a_barrier_gives_jug27s_keys(jug, jugfile, jug27, tmp_path):
    jugfile(BARRIER_JUGFILE, name="jf.py")
    ours = jug("execute", "jf.py", "--jugdir", "ours", cwd=tmp_path)
    assert ours.returncode == 0, ours
    theirs = jug("execute", "--will-cite", "jf.py", "--jugdir", "theirs", cwd=tmp_path, jug=jug27)
    assert theirs.returncode == 0, theirs
    keys = _result_keys(tmp_path / "ours")
    assert len(keys) == 12
    assert keys == _result_keys(tmp_path / "theirs")


DEBUG_JUGFILE = """\
import numpy as np
from jug import TaskGenerator

@TaskGenerator
def spoil(data, i):
    data[0] += 1  # tasks are given arrays themselves (lists and dicts are copied by value())
    return i

data = np.zeros(50000)
results = [spoil(data, i) for i in range(3)]
"""


def test_debug_still_reports_a_task_changing_a_shared_argument(jug, jugfile, tmp_path):
    jugfile(DEBUG_JUGFILE, name="jf.py")
    run = jug("execute", "--debug", "jf.py", cwd=tmp_path)
    assert run.returncode != 0, run
    assert "jf.spoil" in run.output and "changed after it was created" in run.output, run
