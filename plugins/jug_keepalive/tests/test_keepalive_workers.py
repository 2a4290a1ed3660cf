"""Real `jug execute` workers on a file_keepalive jugdir, killed (SIGKILL), frozen
(SIGSTOP) and restarted: their tasks are taken over, and every result is whole
and committed once."""
import os
import random
import signal
import socket
import time

import pytest

from jug_keepalive.store import KeepaliveStore
from jugcore.stores.contract import DEAD
from pytest_jug import LeaseLossSuite, gated_jugfile, must, wait_until

LEASE = 1.5
HEARTBEAT = LEASE / 3
WAIT_CYCLE = "0.2"  # waiting workers look again at least this often
SLACK = 10  # seconds for process start-up and polling on a busy 2-core machine


def jugdir(tmp_path):
    return f"file_keepalive:{tmp_path / 'jf.jugdata'}?lease={LEASE}"


def runs(tmp_path):
    path = tmp_path / "runs"
    return path.read_text().split() if path.exists() else []


def results(tmp_path):
    store = KeepaliveStore(str(tmp_path / "jf.jugdata"))
    return {k: store.load(k) for k in store.list()}


def leftovers(tmp_path):
    """Temp files, take-over guards and fresh-lock files nobody cleaned up (run
    record logs, which also live in tempfiles, are kept on purpose)."""
    base = tmp_path / "jf.jugdata"
    temp = [p for p in (base / "tempfiles").iterdir() if not p.name.startswith("jugcore-records-")] \
        if (base / "tempfiles").exists() else []
    locks = [p for p in (base / "locks").iterdir() if p.suffix != ".lock"] if (base / "locks").exists() else []
    return temp + locks


def start_two_workers(tmp_path, jugfile, background):
    """Worker a runs `slow` (and waits for 'go'); worker b waits for a's lock."""
    jugfile(gated_jugfile(), name="jf.py")
    a = background("a", "execute", "jf.py", "--jugdir", jugdir(tmp_path), "--wait-cycle-time", WAIT_CYCLE)
    must(lambda: runs(tmp_path) == [str(a.proc.pid)], 60, "worker a to start the task")
    b = background("b", "execute", "jf.py", "--jugdir", jugdir(tmp_path), "--wait-cycle-time", WAIT_CYCLE)
    assert not wait_until(lambda: len(runs(tmp_path)) > 1, 2 * LEASE), "b ran a task a holds and keeps alive"
    return a, b


def as_if_from_another_host(lock_path):
    """Rewrite a lock as written on another machine: its pid cannot be checked, only its lease."""
    host = socket.gethostname()
    text = lock_path.read_text()
    assert f"host={host} " in text
    lock_path.write_text(text.replace(f"HOSTNAME {host}", "HOSTNAME elsewhere.example")
                         .replace(f"host={host} ", "host=elsewhere.example "))


@pytest.mark.parametrize("where", ["this host", "another host"])
def test_sigkilled_worker_task_finished_by_another_within_lease_and_heartbeat(
        tmp_path, jugfile, background, jug, where):
    a, b = start_two_workers(tmp_path, jugfile, background)
    if where == "another host":
        # Stopped first: no heartbeat rewrites the lock, and b cannot see a die
        # (and take the task over by its pid) before the lock looks foreign.
        os.kill(a.proc.pid, signal.SIGSTOP)
    killed = time.monotonic()
    if where == "another host":
        [lock] = (tmp_path / "jf.jugdata" / "locks").iterdir()
        as_if_from_another_host(lock)  # (and its heartbeat is now)
    os.kill(a.proc.pid, signal.SIGKILL)
    a.wait(10)
    must(lambda: runs(tmp_path)[1:] == [str(b.proc.pid)], LEASE + HEARTBEAT + SLACK, "b to take the task over")
    if where == "another host":
        assert time.monotonic() - killed > LEASE  # the lease, not the pid, freed it
    (tmp_path / "go").touch()
    assert b.wait(60) == 0, b
    found = results(tmp_path)
    assert len(found) == 2 and set(found.values()) == {b.proc.pid}, found
    check = jug("check", "jf.py", "--jugdir", jugdir(tmp_path), cwd=tmp_path)
    assert check.returncode == 0, check
    assert leftovers(tmp_path) == []


def test_sigstopped_worker_past_its_lease_comes_back_and_ends_cleanly(tmp_path, jugfile, background, jug):
    a, b = start_two_workers(tmp_path, jugfile, background)
    os.kill(a.proc.pid, signal.SIGSTOP)
    try:
        must(lambda: runs(tmp_path)[1:] == [str(b.proc.pid)], LEASE + HEARTBEAT + SLACK,
             "b to take over the task of the stopped worker")
        (tmp_path / "go").touch()
        assert b.wait(60) == 0, b
    finally:
        os.kill(a.proc.pid, signal.SIGCONT)
    assert a.wait(60) == 0, a  # it finishes its copy of the task, commits nothing, and exits cleanly
    assert "Traceback" not in a.stderr + b.stderr
    found = results(tmp_path)
    assert len(found) == 2 and set(found.values()) == {b.proc.pid}, found  # b's result, not replaced by a's
    check = jug("check", "jf.py", "--jugdir", jugdir(tmp_path), cwd=tmp_path)
    assert check.returncode == 0, check
    assert not (tmp_path / "jf.jugdata" / "locks").exists() or not os.listdir(tmp_path / "jf.jugdata" / "locks")
    assert leftovers(tmp_path) == []


class TestKeepaliveLeaseLoss(LeaseLossSuite):
    @pytest.fixture
    def jugdir(self, tmp_path):
        return jugdir(tmp_path)


MANY = """\
import time
from jug import TaskGenerator

@TaskGenerator
def square(i):
    time.sleep(0.002)
    return i * i

@TaskGenerator
def total(xs):
    return sum(xs)

squares = [square(i) for i in range(1000)]
result = total(squares)
"""


def test_three_workers_with_random_kills_and_restarts_complete_everything(tmp_path, jugfile, background, jug):
    jugfile(MANY, name="jf.py")
    rng = random.Random(20261125)
    args = ("execute", "jf.py", "--jugdir", jugdir(tmp_path), "--wait-cycle-time", WAIT_CYCLE)
    workers = [background(f"w{i}", *args) for i in range(3)]
    store = KeepaliveStore(str(tmp_path / "jf.jugdata"))
    kills = 0
    for threshold in (100, 250, 400, 550, 700, 850):
        if not wait_until(lambda: len(store.list()) >= threshold, 120):
            break
        victim = rng.choice([w for w in workers if w.alive()] or workers)
        os.kill(victim.proc.pid, signal.SIGKILL)
        victim.wait(10)
        kills += 1
        workers.append(background(f"w{len(workers)}", *args))
    for worker in workers:
        worker.wait(120)
    assert kills >= 4, "the run ended before the workers could be killed mid-way"
    survivors = [w for w in workers if w.returncode != -signal.SIGKILL]
    assert all(w.returncode == 0 for w in survivors), survivors

    values = {k: store.load(k) for k in store.list()}  # every result decodes
    expected = {i * i for i in range(1000)}
    assert len(values) == 1001 and set(values.values()) == expected | {sum(expected)}
    check = jug("check", "jf.py", "--jugdir", jugdir(tmp_path), cwd=tmp_path)
    assert check.returncode == 0, check
    infos = store.lock_info_many(store.listlocks())
    assert all(info.state == DEAD for info in infos.values()), infos  # only killed workers' locks remain
    assert not _processes_mentioning(str(tmp_path)), "a worker or helper process outlived the run"


def _processes_mentioning(text):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline and int(pid) != os.getpid():
            found.append(cmdline)
    return found
