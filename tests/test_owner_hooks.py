"""The owner hooks: ``jug_owner_details`` adds to this process's owner record
(locks, failure records, `jug status`), ``jug_owner_alive`` judges a lock's
holder (first non-None answer wins; the built-in ``local-owners`` judges this
host's pids), so a plugin can declare another host's worker gone and the
next worker takes its task over on the plain file store."""
import os
import socket

import pytest
from pytest_jug import gated_jugfile, make_distribution, must, pythonpath_environ

from jugcore import owners
from jugcore.api import HOSTNAME, FailureRecord, Owner, hookimpl, make_app, owner_alive, this_owner
from jugcore.builtin import local_owners


@pytest.fixture
def hooks_of():
    """hooks_of(*plugins): the owner hooks of an app of these plugins (and the
    built-in local-owners) in use, until the test ends."""

    def install(*plugins):
        app = make_app(load_entrypoints=False, plugins=[("local-owners", local_owners), *plugins])
        owners.use_owner_hooks(*app.owner_hooks())  # as use_app does, without changing the process's app

    yield install
    owners.use_owner_hooks(None, None)


class Scheduler:
    """A plugin that knows the jobs: job 'gone' has ended, others it cannot tell."""

    def __init__(self):
        self.asked = []

    @hookimpl
    def jug_owner_alive(self, owner):
        self.asked.append(owner)
        job = dict(owner.details).get("job")
        return False if job == "gone" else None

    @hookimpl
    def jug_owner_details(self):
        return {"job": "12_3", "log": "/scratch/my run/jug-12_3.out"}


def test_details_round_trip_through_the_owner_text_and_show_in_describe():
    owner = Owner("node7", 12, 1.5, None, (("job", "12_3"), ("log", "/scratch/my run/x=1.out")))
    text = owner.to_text()
    assert text == "host=node7 pid=12 started=1.50 +job=12_3 +log=/scratch/my%20run/x%3D1.out"
    assert Owner.from_text(text) == owner
    assert owner.describe() == "node7 pid 12 (job 12_3, log /scratch/my run/x=1.out)"
    assert Owner.from_text("host=h pid=1 boot=x").details == ()  # unmarked words are not details


def test_details_are_recorded_for_this_process_and_in_failure_records(hooks_of):
    hooks_of(Scheduler())
    assert this_owner().details == (("job", "12_3"), ("log", "/scratch/my run/jug-12_3.out"))
    record = FailureRecord.from_exception(ValueError("bad"), "tb")
    assert FailureRecord.from_json(record.to_json()) == record
    assert record.where() == f"{HOSTNAME} pid {os.getpid()} (job 12_3, log /scratch/my run/jug-12_3.out)"


def test_the_first_answer_that_is_not_none_wins(hooks_of):
    scheduler = Scheduler()
    hooks_of(scheduler)
    me = this_owner()
    assert owner_alive(*me._replace(host="elsewhere", details=(("job", "gone"),))) is False
    assert owner_alive(*me._replace(host="elsewhere", details=(("job", "running"),))) is None  # nobody can tell
    assert owner_alive(*me) is True  # the scheduler cannot tell: this host's pid check answers
    assert [dict(o.details)["job"] for o in scheduler.asked] == ["gone", "running", "12_3"]


def test_without_an_app_this_hosts_pids_are_judged():
    owners.use_owner_hooks(None, None)
    assert owner_alive(*this_owner()) is True
    assert owner_alive(*this_owner()._replace(host="elsewhere")) is None


GONE_PLUGIN = """\
from jugcore.api import hookimpl

@hookimpl
def jug_owner_alive(owner):
    return False if owner.host == "elsewhere.example" else None
"""


def test_a_plugin_that_says_a_foreign_owner_is_gone_frees_its_lock_on_the_file_store(
        tmp_path, jugfile, background, jug):
    path = jugfile(gated_jugfile())
    first = background("first", "execute", path)
    must(lambda: (tmp_path / "started").exists(), 30, "the first worker to start slow()")
    [lock] = (tmp_path / "jugfile.jugdata" / "locks").iterdir()
    host = socket.gethostname()
    lock.write_text(lock.read_text().replace(f"host={host} ", "host=elsewhere.example "))
    first.proc.kill()
    first.wait(10)
    (tmp_path / "go").touch()
    without = jug("execute", path, "--nr-wait-cycles", "1", "--wait-cycle-time", "1", cwd=tmp_path)
    assert "gave up waiting for 1 task(s)" in without.stderr and lock.exists(), without  # another host's: left
    site = tmp_path / "site"
    make_distribution(site, "jug-gone", "0.1", {"gone": "jug_gone"}, {"jug_gone": GONE_PLUGIN})
    run = jug("execute", path, cwd=tmp_path, env=pythonpath_environ(site))
    assert run.returncode == 0, run
    assert len((tmp_path / "runs").read_text().split()) == 2  # run again, by the second worker
