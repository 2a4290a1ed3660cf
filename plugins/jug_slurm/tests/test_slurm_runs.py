"""jug submit on a real one-node Slurm cluster (pytest-jug's ``slurm_cluster``):
a run to its end, --follow's exit codes, a cancelled worker whose lock the
other takes over by its job's state alone, jug cancel, a job killed by its
time limit, and failures that name their job."""
import os
import re
import socket

import pytest
from pytest_jug import bvalue_barrier_jugfile, gated_jugfile, must, with_sync

pytestmark = pytest.mark.usefixtures("slurm_cluster")

# Workers judge locks by their job at most once a second here (ten by default).
FAST = {"JUG_SLURM_QUERY_INTERVAL": "1"}


def submit(jug, jugfile, *args, timeout=120):
    return jug("submit", jugfile, *args, cwd=jugfile.parent, env=FAST, timeout=timeout)


def job_of(run):
    return re.search(r"Submitted job (\d+)", run.stdout).group(1)


def states(cluster, job):
    out = cluster.client("squeue", "--noheader", "--array", "--states=all", "--format=%i %T", f"--jobs={job}").stdout
    return dict(line.split() for line in out.splitlines())


def test_two_workers_run_200_tasks_to_the_end_and_follow_exits_0(jugfile, jug, slurm_cluster):
    # Each worker's first task waits for the other worker's: both take part, however late
    # Slurm starts the second job (200 trivial tasks are done before some starts end).
    path = jugfile(with_sync("""\
        from jug import TaskGenerator

        STARTED = []

        def both_workers_started():
            if not STARTED:
                append("workers", str(os.getpid()))
                STARTED.append(True)
                deadline = time.monotonic() + 60
                while len(set(open(here("workers")).read().split())) < 2:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the second worker never started")
                    time.sleep(0.01)

        @TaskGenerator
        def square(x):
            both_workers_started()
            return x * x

        squares = [square(i) for i in range(200)]
        """), name="squares.py")
    run = submit(jug, path, "--workers", "2", "--follow", "--poll", "0.2")
    assert run.returncode == 0, run
    job = job_of(run)
    assert "All 200 tasks complete." in run.stdout, run
    assert re.search(r"jug: \d+/200 done, 0 failed.*\| jobs: ", run.stdout), run
    logs = path.parent / "squares.slurm" / "logs"
    assert sorted(p.name for p in logs.iterdir()) == [f"jug-{job}_0.out", f"jug-{job}_1.out"]
    executed = [int(re.search(r"^\s*(\d+)\s+\d+\s+squares.square", (logs / name).read_text(), re.M).group(1))
                for name in sorted(os.listdir(logs))]
    assert sum(executed) == 200 and all(executed), executed  # both worked, each task once
    assert jug("status", path, "--short", cwd=path.parent).returncode == 0
    again = jug("follow", path, cwd=path.parent)  # a finished run: its end, at once
    assert again.returncode == 0 and "All 200 tasks complete." in again.stdout, again


def test_follow_goes_on_past_a_barrier_as_the_workers_do(jugfile, jug, slurm_cluster):
    path = jugfile(bvalue_barrier_jugfile("4", "t = total(squares)\n"), name="staged.py")
    run = submit(jug, path, "--workers", "1", "--follow", "--poll", "0.2")
    assert run.returncode == 0 and "All 6 tasks complete." in run.stdout, run


def test_failures_name_their_job_and_log_and_follow_says_why_it_ends(jugfile, jug, slurm_cluster):
    path = jugfile("""\
        from jug import TaskGenerator

        @TaskGenerator
        def fine(x):
            return x

        @TaskGenerator
        def broken(x):
            raise ValueError("no good")

        result = broken(fine(1))
        """, name="failing.py")
    run = submit(jug, path, "--workers", "1", "--follow", "--poll", "0.2")
    assert run.returncode == 1, run
    job = job_of(run)
    log = path.parent / "failing.slurm" / "logs" / f"jug-{job}_0.out"
    assert "The jobs ended with 1 task left:" in run.stderr, run
    assert f"1 failed (`jug status {path} --failed` shows why)" in run.stderr, run
    assert f"job {job}_0 failed (log: {log})" in run.stderr, run
    again = jug("follow", path, cwd=path.parent)
    assert again.returncode == 1 and f"job {job}_0 failed (log: {log})" in again.stderr, again
    status = jug("status", path, "--failed", cwd=path.parent)
    assert "ValueError: no good" in status.stdout, status
    assert f"(slurm-job {job}_0, log {log}, slurm-cluster jugtest)" in status.stdout, status


# The jugfile ignores SIGTERM (as a task stuck in C code does): Slurm kills its
# worker with SIGKILL, which leaves the lock behind.
UNCLEAN = gated_jugfile("""\
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    a = after(slow())
    """)


def test_a_cancelled_workers_lock_is_taken_over_by_the_other_worker_without_cleanup(
        tmp_path, jugfile, jug, slurm_cluster):
    path = jugfile(UNCLEAN)
    run = submit(jug, path, "--workers", "2")
    assert run.returncode == 0, run
    job = job_of(run)
    must(lambda: (tmp_path / "started").exists(), 60, "a worker to start slow()")
    [lock] = (tmp_path / "jugfile.jugdata" / "locks").iterdir()
    holder = re.search(r"\+slurm-job=(\S+)", lock.read_text()).group(1)
    active = jug("status", path, "--active", cwd=tmp_path)
    assert re.search(rf"jugfile.slow\(\) \[\w+\]: \S+ pid \d+ \(slurm-job {holder}, "
                     rf"log {tmp_path}/jugfile.slurm/logs/jug-{holder}.out, slurm-cluster jugtest\)", active.stdout), active
    # As if the worker ran on another node: its pid says nothing here, only its job can.
    host = socket.gethostname()
    lock.write_text(lock.read_text().replace(f"host={host} ", "host=elsewhere.example "))
    slurm_cluster.client("scancel", holder)
    must(lambda: states(slurm_cluster, job)[holder] == "CANCELLED", 30, "the job to be cancelled")
    assert "jugcore-owner" in lock.read_text()  # SIGKILLed: its lock is left
    must(lambda: len((tmp_path / "runs").read_text().split()) == 2, 60, "the other worker to take slow() over")
    (tmp_path / "go").touch()
    must(lambda: all(s != "RUNNING" for s in states(slurm_cluster, job).values()), 60, "the jobs to end")
    assert jug("status", path, "--short", cwd=tmp_path).returncode == 0


def test_jug_cancel_cancels_this_projects_jobs_only(tmp_path, jug, slurm_cluster):
    paths = []
    for name in ("mine", "theirs"):
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "jugfile.py")
        paths[-1].write_text(gated_jugfile())
    mine, theirs = [job_of(submit(jug, path, "--workers", "1")) for path in paths]
    for path in paths:
        must(lambda: (path.parent / "started").exists(), 60, f"the worker of {path} to start")
    run = jug("cancel", paths[0], cwd=paths[0].parent)
    assert run.returncode == 0 and f"Cancelled job {mine} (1 worker queued or running)." in run.stdout, run
    must(lambda: states(slurm_cluster, mine) == {f"{mine}_0": "CANCELLED"}, 30, "our job to be cancelled")
    assert states(slurm_cluster, theirs) == {f"{theirs}_0": "RUNNING"}
    again = jug("cancel", paths[0], cwd=paths[0].parent)
    assert again.returncode == 0 and "No job of" in again.stdout and "is queued or running" in again.stdout, again
    slurm_cluster.client("scancel", theirs)


def test_a_job_killed_by_its_time_limit_is_reported_and_its_lock_is_dead(jugfile, jug, slurm_cluster):
    path = jugfile("""\
        import signal, time
        from jug import TaskGenerator

        @TaskGenerator
        def forever():
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # killed (SIGKILL), its lock stays
            time.sleep(3600)

        f = forever()
        """, name="slow.py")
    run = submit(jug, path, "--workers", "1", "--time", "1", "--follow", "--poll", "1", timeout=300)
    assert run.returncode == 1, run
    job = job_of(run)
    assert "The jobs ended with 1 task left:" in run.stderr, run
    assert f"job {job}_0 reached its time limit (log: " in run.stderr, run
    active = jug("status", path, "--active", cwd=path.parent)
    assert "Held by workers that are gone (taken over by the next worker) (1):" in active.stdout, active
    assert f"slurm-job {job}_0" in active.stdout, active
