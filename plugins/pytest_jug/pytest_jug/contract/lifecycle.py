"""The store contract, a store's life in one process: the same jugdir opened
twice, and a fork (the child opens its own store; the parent's goes on)."""
import json
import os
import traceback

import pytest

from jugcore.api import LOCKED
from pytest_jug.contract.base import ContractFixtures, failure_record, key

__all__ = ["LifecycleContract"]


class LifecycleContract(ContractFixtures):
    def test_a_jugdir_opened_twice_in_one_process(self, store, make_store, shared):
        second = make_store()
        store.dump(key(0), "first")
        assert second.load(key(0)) == "first"
        lock = store.getlock(key(1))
        assert lock.get()
        assert second.getlock(key(1)).get() is False
        assert second.lock_state_many([key(1)]) == {key(1): LOCKED}
        make_store.opened.remove(second)
        second.close()
        assert store.getlock(key(1)).is_locked()  # closing one store lets go of nothing the other holds
        assert lock.fail(failure_record()) is True
        lock.release()
        assert not store.getlock(key(1)).is_locked()

    @pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
    def test_a_forked_child_opens_its_own_store(self, store, app, jugdir, shared):
        lock = store.getlock(key(0))
        assert lock.get()
        store.dump(key(1), "before the fork")
        report = _in_forked_child(lambda: _child_view(app.open_store(jugdir)))
        assert report == {"value": "before the fork", "get": False, "fail": False, "own": True}
        assert lock.is_locked() and not lock.is_failed()  # the child neither took nor marked ours
        store.dump(key(3), "after the fork")  # the parent's store goes on working
        assert store.load(key(3)) == "after the fork"
        assert lock.fail(failure_record()) is True


def _child_view(child):
    """What a forked child's own store says about the parent's lock and result."""
    try:
        return {"value": child.load(key(1)), "get": child.getlock(key(0)).get(),
                "fail": child.getlock(key(0)).fail(failure_record()), "own": child.getlock(key(2)).get()}
    finally:
        child.close()


def _in_forked_child(work):
    """``work()``'s answer (JSON), computed in a forked child; its traceback if it raised."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        code = 1
        try:
            os.close(read)
            os.write(write, json.dumps(work()).encode())
            code = 0
        except BaseException:
            os.write(write, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as f:
        text = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, text
    return json.loads(text)
