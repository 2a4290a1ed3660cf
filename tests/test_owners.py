"""jugcore.api.owner_alive: whether a lock's holder still runs, judged on real
processes (alive, ended, a zombie, a reused pid), and what it cannot judge."""
import os
import subprocess
import sys

import psutil
import pytest

from jugcore.api import HOSTNAME, Owner, owner_alive, this_owner


@pytest.fixture
def child():
    """A live python process, killed at teardown."""
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    yield process
    process.kill()
    process.wait()


def owner_of(process):
    return Owner(HOSTNAME, process.pid, psutil.Process(process.pid).create_time(), this_owner().pidns)


def test_this_process_is_alive():
    me = this_owner()
    assert (me.host, me.pid) == (HOSTNAME, os.getpid())
    assert owner_alive(*me) is True
    assert owner_alive(HOSTNAME, os.getpid()) is True  # without start time or namespace


def test_a_live_process_is_alive_and_a_killed_one_is_not(child):
    owner = owner_of(child)
    assert owner_alive(*owner) is True
    child.kill()
    child.wait()
    assert owner_alive(*owner) is False


def test_a_zombie_is_not_alive(child):
    owner = owner_of(child)
    child.kill()
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # ended, not collected: a zombie
    assert psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE
    assert owner_alive(*owner) is False


def test_a_pid_that_started_at_another_time_is_another_process(child):
    owner = owner_of(child)
    assert owner_alive(*owner._replace(started=owner.started - 3600)) is False  # its pid was reused
    assert owner_alive(*owner._replace(started=owner.started + 0.5)) is True  # start times seen apart


def test_what_this_process_cannot_judge_is_none(child):
    owner = owner_of(child)
    assert owner_alive(*owner._replace(host="elsewhere.example")) is None
    assert owner_alive(*owner._replace(pidns="pid:[1]")) is None  # a process of another container


def test_owner_text_round_trip():
    me = this_owner()
    assert Owner.from_text(me.to_text()) == me
    assert Owner.from_text("host=h pid=12 boot=x start=99 ignored") == Owner("h", 12)  # an older lock's line
    for text in ("", "PID 12 on HOSTNAME h", "host=h pid=twelve", "pid=12"):
        assert Owner.from_text(text) is None
    assert me.describe() == f"{HOSTNAME} pid {os.getpid()}"


def test_a_forked_child_is_another_owner():
    me = this_owner()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report its owner, and whether it judges its parent alive
        try:
            os.write(write, f"{this_owner().to_text()}|{owner_alive(*me)}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        text, parent_alive = f.read().split("|")
    os.waitpid(pid, 0)
    theirs = Owner.from_text(text)
    assert theirs.pid == pid and theirs != me and parent_alive == "True"
    assert owner_alive(*theirs) is False  # collected above: ended
