"""A worker that loses its lease mid-task: a pytest suite for stores whose locks are leases.

Subclass :class:`LeaseLossSuite` and give it a ``jugdir`` fixture (a lease of a
few seconds at most), as for :class:`pytest_jug.StoreContract`.
Each scenario runs real `jug execute` workers and freezes the one running
``slow()`` with SIGSTOP until another worker has taken the task over, then lets
the frozen one finish its copy.  Tasks wait for a file of their own
(``go-<pid>``), so the test decides which copy finishes first.  The store must
refuse the frozen worker's result (``LeaseLost``), and `jug execute` must say
so and count the task apart from the executed ones.
"""
import os
import signal

import pytest

from jugcore.api import HOSTNAME
from pytest_jug.jugfiles import with_sync
from pytest_jug.processes import must, summary_table

__all__ = ["LeaseLossSuite", "TAKEN_OVER_JUGFILE", "runs"]

TAKEN_OVER_JUGFILE = with_sync("""\
    from jug import TaskGenerator

    @TaskGenerator
    def slow():
        append("runs", str(os.getpid()))
        wait_for("go-%d" % os.getpid())
        return os.getpid()

    @TaskGenerator
    def after(x):
        touch("after-started")
        return x

    a = after(slow())
""")

_WAIT_CYCLE = "0.2"  # waiting workers look again at least this often


def runs(folder):
    """Process ids that started ``slow()``, in order."""
    path = folder / "runs"
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def _execute(jugdir, *more):
    return ("execute", "jugfile.py", "--jugdir", jugdir, "--wait-cycle-time", _WAIT_CYCLE, *more)


def _frozen_until_taken_over(folder, pid):
    """SIGSTOP ``pid``, which runs ``slow()``, until another process starts it (its
    lease lapsed); the pid of that process.  The caller sends SIGCONT."""
    os.kill(pid, signal.SIGSTOP)
    must(lambda: len(runs(folder)) == 2, 60, f"another worker to take slow() over from the frozen {pid}")
    return runs(folder)[1]


def lose_a_lease_to_a_running_worker(folder, background, jugdir):
    """Worker a starts ``slow()`` and is frozen until worker b has taken it over;
    a finishes its copy while b still runs it, and stops waiting for b at once
    (``--nr-wait-cycles 1``); then b finishes.  Returns (a, b), both exited."""
    (folder / "jugfile.py").write_text(TAKEN_OVER_JUGFILE)
    a = background("a", *_execute(jugdir, "--nr-wait-cycles", "1"))
    must(lambda: runs(folder) == [a.proc.pid], 60, "worker a to start slow()")
    b = background("b", *_execute(jugdir))
    try:
        assert _frozen_until_taken_over(folder, a.proc.pid) == b.proc.pid
    finally:
        os.kill(a.proc.pid, signal.SIGCONT)
    (folder / f"go-{a.proc.pid}").touch()
    a.wait(60)
    (folder / f"go-{b.proc.pid}").touch()
    b.wait(60)
    return a, b


def lose_a_lease_to_a_sibling(folder, background, jugdir):
    """`jug execute -j 2`: the worker that starts ``slow()`` is frozen until its
    sibling has taken it over and started ``after()``; then it finishes its copy.
    Returns the `jug execute -j 2` process, exited."""
    (folder / "jugfile.py").write_text(TAKEN_OVER_JUGFILE)
    parent = background("j2", *_execute(jugdir, "-j", "2"))
    must(lambda: len(runs(folder)) == 1, 60, "a worker to start slow()")
    frozen = runs(folder)[0]
    try:
        sibling = _frozen_until_taken_over(folder, frozen)
        (folder / f"go-{sibling}").touch()
        must(lambda: (folder / "after-started").exists(), 60, "the sibling to finish slow() and start after()")
    finally:
        os.kill(frozen, signal.SIGCONT)
    (folder / f"go-{frozen}").touch()
    parent.wait(60)
    return parent


def _lost_line(holder):
    return f"jug: lease lost: task jugfile.slow was taken over by {holder}; our result was discarded"


_COUNTED_APART = "1 task ran here but was taken over by other workers after our lease lapsed"


class LeaseLossSuite:
    """Subclass it with a ``jugdir`` fixture: a jugdir string whose lease is short."""

    @pytest.fixture
    def jugdir(self):
        raise NotImplementedError("define a jugdir fixture in the subclass")

    def test_a_worker_whose_task_was_taken_over_says_so_and_counts_it_apart(self, tmp_path, background, jugdir):
        a, b = lose_a_lease_to_a_running_worker(tmp_path, background, jugdir)
        assert _lost_line(f"{HOSTNAME}:{b.proc.pid}") in a.stderr, a
        assert _COUNTED_APART in a.stderr, a
        # Not a failure: b stores the result; a stopped waiting for it (--nr-wait-cycles 1).
        assert a.returncode == 0 and summary_table(a.stdout)["Total"] == [0, 0], a
        assert b.returncode == 0 and summary_table(b.stdout)["Total"] == [2, 0], b
        assert "lease lost" not in b.stderr and "Traceback" not in a.stderr + b.stderr

    def test_under_j_the_lost_task_counts_once_in_the_summary_and_apart(self, tmp_path, background, jugdir):
        parent = lose_a_lease_to_a_sibling(tmp_path, background, jugdir)
        assert parent.returncode == 0, parent
        assert _lost_line("another worker") in parent.stderr, parent  # its new holder had let go
        assert _COUNTED_APART in parent.stderr, parent
        table = summary_table(parent.stdout)
        assert table["jugfile.slow"] == [1, 0] and table["Total"] == [2, 0], parent
