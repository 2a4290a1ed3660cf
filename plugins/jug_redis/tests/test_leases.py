"""Real `jug execute` workers whose leases lapse while they are frozen (SIGSTOP):
tasks they had claimed ahead are asked for again before they run, and a task
taken over while they ran it is reported as lost, not as executed."""
import os
import signal

import pytest
import redis

from pytest_jug import LeaseLossSuite, must, summary_table, with_sync

LEASE = 2
WAIT_CYCLE = "0.5"  # waiting workers look again at least this often

# Each task logs when it starts and when it is done, with the process that ran it.
LOGGED = with_sync("""\
    from jug import TaskGenerator

    @TaskGenerator
    def work(i):
        append("events.log", "start %d %d %.6f" % (i, os.getpid(), time.time()))
        time.sleep(0.5)
        append("events.log", "done %d %d %.6f" % (i, os.getpid(), time.time()))
        return i

    results = [work(i) for i in range(12)]
""")


def events(folder):
    """[(what, task, pid, time)] from events.log."""
    log = folder / "events.log"
    lines = log.read_text().split("\n") if log.exists() else []
    return [(what, int(i), int(pid), float(t)) for what, i, pid, t in (line.split() for line in lines if line)]


def leases_of(server, pid):
    """How many leases the worker ``pid`` holds now."""
    client = redis.Redis.from_url(server.url(0))
    try:
        texts = [client.get(name) for name in client.scan_iter(match=b"lease:*")]
    finally:
        client.close()
    return sum(1 for text in texts if text and text.split()[4] == str(pid).encode())


def test_claims_made_ahead_are_not_run_after_an_outage_longer_than_the_lease(tmp_path, redis_server, background):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(LOGGED)
    url = redis_server.url(0, f"lease={LEASE}")
    args = ("execute", "jugfile.py", "--jugdir", url, "--wait-cycle-time", WAIT_CYCLE)
    first = background("first", *args)
    must(lambda: sum(e[0] == "done" for e in events(tmp_path)) >= 2, 60, "the first worker to finish two tasks")
    late = background("late", *args)  # finds the task the first runs busy, and claims the next ones ahead
    must(lambda: leases_of(redis_server, late.proc.pid) >= 2, 60, "the late worker to claim a task ahead")
    os.kill(late.proc.pid, signal.SIGSTOP)
    try:  # frozen until the first worker has taken over and finished everything, its claims included
        must(lambda: {e[1] for e in events(tmp_path) if e[0] == "done"} == set(range(12)), 120,
             "the first worker to finish every task")
    finally:
        os.kill(late.proc.pid, signal.SIGCONT)
    assert first.wait(60) == 0, first
    assert late.wait(60) == 0, late
    done_at = {}
    for what, i, pid, t in events(tmp_path):
        if what == "done":
            done_at.setdefault(i, (t, pid))
    late_starts = [(i, t) for what, i, pid, t in events(tmp_path) if what == "start" and pid == late.proc.pid]
    started_after_done = [i for i, t in late_starts if done_at[i][1] != late.proc.pid and t > done_at[i][0]]
    assert started_after_done == [], (events(tmp_path), late)
    # The task the late worker was running when frozen ran twice, but counts once.
    executed = summary_table(first.stdout)["Total"][0] + summary_table(late.stdout)["Total"][0]
    assert executed == 12, (first, late)
    assert "Traceback" not in first.stderr + late.stderr


class TestRedisLeaseLoss(LeaseLossSuite):
    @pytest.fixture
    def jugdir(self, redis_server):
        redis_server.command("FLUSHALL")
        return redis_server.url(0, f"lease={LEASE}")
