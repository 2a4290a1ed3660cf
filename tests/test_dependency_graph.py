"""DependencyGraph is pure bookkeeping over task keys: given what is done, it says
what is ready; told what completed or failed, it says what became ready or
blocked.  No store, no worker: real Tasks, whose keys need neither."""
import pytest

from jugcore.model import task
from jugcore.run.graph import DependencyGraph


def one(x):
    return x


def two(x, y):
    return (x, y)


@pytest.fixture(autouse=True)
def clean_tasks():
    del task.alltasks[:]
    yield
    del task.alltasks[:]


def graph_of(*tasks, done=()):
    return DependencyGraph(list(tasks), [t.hash() for t in tasks], {t.hash() for t in done})


def keys(*tasks):
    return [t.hash() for t in tasks]


@pytest.fixture
def diamond():
    """a -> (b, c) -> d"""
    a = task.Task(one, 1)
    b, c = task.Task(one, a), task.Task(one, [a])
    d = task.Task(two, b, c)
    return a, b, c, d


def test_a_chain_becomes_ready_link_by_link():
    a = task.Task(one, 1)
    b = task.Task(one, a)
    c = task.Task(one, b)
    graph = graph_of(a, b, c)
    assert graph.ready() == keys(a)
    assert graph.complete(a.hash()) == keys(b)
    assert graph.complete(b.hash()) == keys(c)
    assert graph.complete(c.hash()) == []


def test_a_diamond_joins_only_when_both_sides_completed(diamond):
    a, b, c, d = diamond
    graph = graph_of(*diamond)
    assert graph.ready() == keys(a)
    assert graph.complete(a.hash()) == keys(b, c)
    assert graph.complete(b.hash()) == []
    assert graph.complete(c.hash()) == keys(d)


def test_a_dependency_used_twice_is_waited_for_once():
    a = task.Task(one, 1)
    twice = task.Task(two, a, a)
    graph = graph_of(a, twice)
    assert graph.complete(a.hash()) == keys(twice)


def test_done_tasks_are_not_waited_for(diamond):
    a, b, c, d = diamond
    graph = graph_of(*diamond, done=[a, b])
    assert graph.ready() == keys(c)
    assert graph.task(a.hash()) is None and graph.task(c.hash()) is c
    assert graph.complete(c.hash()) == keys(d)


def test_a_failure_blocks_everything_downstream_once(diamond):
    a, b, c, d = diamond
    graph = graph_of(*diamond)
    assert sorted(graph.fail(a.hash())) == sorted(keys(b, c, d))
    assert graph.ready() == []
    assert graph.fail(b.hash()) == []  # already blocked


def test_a_failure_on_one_side_of_a_diamond_blocks_the_join(diamond):
    a, b, c, d = diamond
    graph = graph_of(*diamond)
    graph.complete(a.hash())
    assert graph.fail(b.hash()) == keys(d)
    assert graph.complete(c.hash()) == []  # d never becomes ready


def test_dependencies_outside_the_pass_are_waited_for(diamond):
    a, b, c, d = diamond
    graph = graph_of(b, c, d)  # a not selected, not done
    assert graph.outside() == {a.hash()}
    assert graph.ready() == []
    assert graph.name_of(a.hash()) == a.name
    assert graph.complete(a.hash()) == keys(b, c)
    assert graph.outside() == set()


def test_an_outside_dependency_that_cannot_finish_blocks_its_users(diamond):
    a, b, c, d = diamond
    graph = graph_of(b, c, d)
    assert sorted(graph.fail(a.hash())) == sorted(keys(b, c, d))
    assert graph.outside() == set()


def test_results_are_released_once_nothing_in_the_pass_needs_them():
    a = task.Task(one, 1)
    b = task.Task(one, a)
    c = task.Task(two, a, b)
    graph = graph_of(a, b, c)
    for t in (a, b):
        graph.complete(t.hash())
    assert graph.release(a.hash()) == []  # b and c still need a
    assert graph.release(b.hash()) == []  # c still needs a and b
    graph.complete(c.hash())
    assert graph.release(c.hash()) == [a, b, c]
    assert graph.release(c.hash()) == []  # once


def test_the_graph_does_not_change_the_done_set_it_was_given(diamond):
    done = {diamond[0].hash()}
    graph = DependencyGraph(list(diamond), keys(*diamond), done)
    graph.complete(diamond[1].hash())
    graph.fail(diamond[2].hash())
    assert done == {diamond[0].hash()}
