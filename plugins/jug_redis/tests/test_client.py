"""The store's one redis-py client: one connection per process (the heartbeat
thread shares it), a connection of its own in a forked child, big results
read in chunks, whole even when replaced while being read, and scripts
loaded again when the server forgot them."""
import os
import re
import signal
import threading
import time

import numpy as np
import pytest
import redis

from pytest_jug import must, summary_table, with_sync

# Short tasks under a short lease: the heartbeat thread renews leases and sends
# commits while the main thread claims and runs the next tasks.
BUSY = with_sync("""\
    from jug import TaskGenerator

    @TaskGenerator
    def work(i):
        time.sleep(0.002)
        return i

    results = [work(i) for i in range(300)]
""")


def connections_received(server):
    """How many connections the server has accepted so far (this question's included)."""
    return int(re.search(rb"total_connections_received:(\d+)", server.command("INFO", "stats")).group(1))


def test_each_jug_process_uses_one_connection(tmp_path, new_redis_server, jug):
    server = new_redis_server()
    (tmp_path / "jugfile.py").write_text(BUSY)
    url = server.url(0, "lease=0.3")
    before = connections_received(server)
    run = jug("execute", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert summary_table(run.stdout)["Total"] == [300, 0], run
    status = jug("status", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert summary_table(status.stdout)["Total"][3] == 300, status
    assert connections_received(server) - before == 1 + 1 + 1  # execute, status, and this question


def test_the_heartbeat_shares_the_connection_of_a_busy_main_thread(new_redis_server, task_key):
    from jug_redis import RedisStore, parse_redis_url

    server = new_redis_server()
    store = RedisStore(parse_redis_url(server.url(0, "lease=0.3")))  # renewed every 0.1 s
    try:
        before = connections_received(server)
        assert store.getlock(task_key(0)).get()  # the heartbeat starts
        keys = [task_key(i) for i in range(20_000)]
        busy_until = time.monotonic() + 1.5  # (a span of work: five leases)
        while time.monotonic() < busy_until:  # the main thread is in a command nearly all the time
            store.can_load_many(keys)
        assert int(server.command("PTTL", "lock:" + task_key(0).decode())[1:]) > 0  # renewed all along...
        assert connections_received(server) - before == 2  # ...on the main thread's connection (2: PTTL, INFO)
    finally:
        store.close()


def test_a_forked_child_opens_a_connection_of_its_own(open_store, task_key):
    store = open_store()
    store.dump(task_key(0), "parent's")
    client = store.connection.client
    parent_id = client.client_id()
    # Another thread is in a command when we fork (as the heartbeat may be): that thread is not in the child.
    in_command, go_on = threading.Event(), threading.Event()
    busy = threading.Thread(target=store.connection.run, args=(lambda client: in_command.set() or go_on.wait(),))
    busy.start()
    in_command.wait()
    child = os.fork()
    if child == 0:  # the child: its own connection, the parent's left alone
        fine = False
        try:
            store.dump(task_key(1), "child's")
            fine = store.load(task_key(0)) == "parent's" and client.client_id() != parent_id
        finally:
            os._exit(0 if fine else 1)
    go_on.set()
    busy.join()
    exit_code = []

    def ended():
        pid, status = os.waitpid(child, os.WNOHANG)
        exit_code.extend([os.waitstatus_to_exitcode(status)] if pid == child else [])
        return exit_code

    try:
        must(ended, 20, "the child to finish (not stuck waiting for a thread it does not have)")
    except AssertionError:
        os.kill(child, signal.SIGKILL)
        raise
    assert exit_code == [0]
    assert store.load(task_key(1)) == "child's"
    assert client.client_id() == parent_id  # the same connection, still in step


def getrange_calls(client):
    return client.info("commandstats").get("cmdstat_getrange", {}).get("calls", 0)


def test_a_big_result_is_read_in_chunks_into_a_buffer_numpy_uses(open_store, redis_url, task_key):
    from jug_redis.values import CHUNK

    store = open_store(query="prefix=big:")
    array = np.random.default_rng(0).random(5 * CHUNK // 8 + 3)  # five chunks and a bit (and the .npy header)
    store.dump(task_key(0), array)
    client = redis.Redis.from_url(redis_url)
    before = getrange_calls(client)
    loaded = store.load(task_key(0))
    assert getrange_calls(client) - before == 6
    assert np.array_equal(loaded, array) and loaded.flags.writeable
    client.close()


@pytest.mark.parametrize("replacement, asked", [(2.5, 2), (6.0, 2), (4.0, 1)], ids=["smaller", "larger", "same"])
def test_a_big_result_replaced_while_being_read_is_read_whole(open_store, task_key, monkeypatch, replacement, asked):
    from jug_redis import values
    from jug_redis.lua import SCRIPTS

    store = open_store(query="prefix=big:")
    old = np.zeros(4 * values.CHUNK // 8)
    new = np.ones(int(replacement * values.CHUNK / 8))
    store.dump(task_key(0), old)
    writer = open_store(query="prefix=big:")
    value_script = SCRIPTS.value

    class ReplacedOnceAnswered:
        """The value script, after whose first answer another worker stores a new result."""

        def __init__(self):
            self.calls = 0

        def __call__(self, client, *args):
            answer = value_script(client, *args)
            self.calls += 1
            if self.calls == 1:
                writer.dump(task_key(0), new)
            return answer

    spy = ReplacedOnceAnswered()
    monkeypatch.setattr(type(SCRIPTS), "value", spy)
    loaded = store.load(task_key(0))
    assert loaded.shape == new.shape and np.array_equal(loaded, new)
    assert spy.calls == asked  # asked again if the size changed; else the chunks are the new value's


def test_scripts_are_loaded_again_when_the_server_forgot_them(open_store, redis_server, task_key):
    from jugcore.api import LOCKED

    store = open_store()
    store.dump(task_key(0), "x")
    assert store.getlock(task_key(1)).get()
    redis_server.command("SCRIPT", "FLUSH")  # as a restart does
    assert store.load(task_key(0)) == "x"  # one script call
    redis_server.command("SCRIPT", "FLUSH")
    assert store.lock_state_many([task_key(1), task_key(2)]) == {task_key(1): LOCKED}  # pipelined calls
    redis_server.command("SCRIPT", "FLUSH")
    assert store.getlock(task_key(2)).get()  # a claim
