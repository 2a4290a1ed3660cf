"""Workers against real redis-server processes that misbehave: many workers at once,
a worker killed mid-task, the server restarted, unreachable or frozen."""
import os
import re
import socket
import subprocess
import sys
import threading
import time

import pytest
import redis

from pytest_jug import must, summary_table, with_sync

# Each execution creates runs/<i>.<pid> and appends to ran.log: a task run twice shows twice.
COUNTED = with_sync("""\
from jug import TaskGenerator

os.makedirs(here("runs"), exist_ok=True)

@TaskGenerator
def work(i):
    record("runs/%d.%d" % (i, os.getpid()))
    append("ran.log", str(i))
    if os.environ.get("TASK_SECONDS"):
        time.sleep(float(os.environ["TASK_SECONDS"]))
    return i * i

results = [work(i) for i in range({n})]
""")


def executions(folder):
    log = folder / "ran.log"
    return log.read_text().split() if log.exists() else []


def test_four_workers_run_each_of_2000_tasks_exactly_once(tmp_path, redis_server, background):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(COUNTED.replace("{n}", "2000"))
    url = redis_server.url(0)
    workers = [background(f"w{i}", "execute", "jugfile.py", "--jugdir", url) for i in range(4)]
    for w in workers:
        assert w.wait(300) == 0, w
    ran = executions(tmp_path)
    assert len(ran) == 2000 and len(set(ran)) == 2000
    executed = sum(summary_table(w.stdout)["Total"][0] for w in workers)
    assert executed == 2000
    assert len(os.listdir(tmp_path / "runs")) == 2000


def test_a_killed_workers_task_is_finished_by_another_within_the_lease(tmp_path, redis_server, background):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(with_sync("""\
        from jug import TaskGenerator

        @TaskGenerator
        def hold():
            append("hold.log", str(os.getpid()))
            touch("started-%d" % os.getpid())
            wait_for("go")
            return "finished"

        h = hold()
    """))
    url = redis_server.url(0, "lease=2")
    first = background("first", "execute", "jugfile.py", "--jugdir", url)
    must(lambda: (tmp_path / f"started-{first.proc.pid}").exists(), 60, "the first worker to start the task")
    second = background("second", "execute", "jugfile.py", "--jugdir", url, "--wait-cycle-time", "0.5")
    (tmp_path / "go").touch()  # from now on the task can finish: only a live worker can do it
    first.proc.kill()
    first.wait(10)
    killed_at = time.monotonic()
    assert second.wait(60) == 0, second
    assert time.monotonic() - killed_at < 2 + 30  # the lease, plus the second worker's polling
    pids = (tmp_path / "hold.log").read_text().split()
    assert pids == [str(first.proc.pid), str(second.proc.pid)]
    assert summary_table(second.stdout)["Total"] == [1, 0]


def test_workers_ride_out_a_server_restart(tmp_path, new_redis_server, background, jug):
    server = new_redis_server(persistent=True)
    (tmp_path / "jugfile.py").write_text(COUNTED.replace("{n}", "300"))
    url = server.url(0, "retry=60")
    env = {"TASK_SECONDS": "0.01"}
    workers = [background(f"w{i}", "execute", "jugfile.py", "--jugdir", url, *verbose, env=env)
               for i, verbose in enumerate([["--verbose", "info"], []])]
    must(lambda: len(executions(tmp_path)) >= 60, 60, "60 tasks to run")
    server.stop()
    must(lambda: all("reconnecting" in w.stderr for w in workers), 60, "both workers to notice")
    server.start()  # same port, same data
    for w in workers:
        assert w.wait(120) == 0, w
    assert re.search(r"^jug: INFO: reconnected to the Redis server at redis://\S+ after \d+\.\d s$",
                     workers[0].stderr, re.M), workers[0]  # logged under --verbose info
    assert sorted(map(int, executions(tmp_path))) == list(range(300))  # each ran exactly once
    client = redis.Redis.from_url(server.url(0))
    status = jug("status", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert summary_table(status.stdout)["Total"][3] == 300, status
    check = tmp_path / "check.py"
    check.write_text("import jug\n_, ns = jug.init('jugfile.py', %r)\n"
                     "assert jug.value(ns['results']) == [i * i for i in range(300)]\n" % url)
    assert subprocess.run([sys.executable, "check.py"], cwd=tmp_path).returncode == 0
    assert client.keys(b"lock:*") == [] and client.keys(b"lease:*") == []
    client.close()


def test_unreachable_server_at_start_is_one_clear_error(tmp_path, jug):
    (tmp_path / "jugfile.py").write_text(COUNTED.replace("{n}", "3"))
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    run = jug("execute", "jugfile.py", "--jugdir", f"redis://:sekrit@127.0.0.1:{port}/0", cwd=tmp_path)
    assert time.monotonic() - started < 15
    assert run.returncode != 0
    assert run.stderr.startswith("jug: error: cannot reach the Redis server at redis://:***@127.0.0.1:")
    assert len(run.stderr.strip().splitlines()) == 1 and "sekrit" not in run.output
    assert executions(tmp_path) == []


def test_a_frozen_server_makes_workers_stop_with_a_clear_message(tmp_path, new_redis_server, background):
    server = new_redis_server()
    (tmp_path / "jugfile.py").write_text(COUNTED.replace("{n}", "100000"))
    worker = background("w", "execute", "jugfile.py", "--jugdir", server.url(0, "timeout=1&retry=2"))
    must(lambda: len(executions(tmp_path)) >= 20, 60, "tasks to run")
    server.pause()
    try:
        assert worker.wait(60) != 0, worker
    finally:
        server.resume()
    assert "did not answer within 1 s" in worker.stderr
    assert "gave up after 2 s" in worker.stderr
    assert "Traceback" not in worker.stderr


def test_questions_ride_out_a_server_restart(new_redis_server, task_key, capfd):
    from jug_redis import RedisStore, parse_redis_url

    server = new_redis_server(persistent=True)
    keys = [task_key(i) for i in range(100)]
    store = RedisStore(parse_redis_url(server.url(0, "retry=60")))
    try:
        for key in keys[::2]:
            store.dump(key, 1)
        server.stop()
        restart = threading.Timer(1.0, server.start)
        restart.start()
        try:
            assert store.can_load_many(keys) == set(keys[::2])  # asked while the server is away
        finally:
            restart.join()
        assert store.load(keys[0]) == 1
    finally:
        store.close()
    assert "lost the connection to the Redis server" in capfd.readouterr().err


def test_a_question_to_a_frozen_server_ends_with_a_clear_message(new_redis_server, task_key):
    from jug_redis import RedisStore, parse_redis_url
    from jugcore.errors import JugError

    server = new_redis_server()
    store = RedisStore(parse_redis_url(server.url(0, "timeout=1&retry=2")))
    server.pause()
    try:
        with pytest.raises(JugError) as caught:
            store.can_load_many([task_key(0)])
    finally:
        server.resume()
        store.close()
    message = caught.value.format_message()
    assert "did not answer within 1 s" in message and "gave up after 2 s" in message
