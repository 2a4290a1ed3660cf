"""How workers judge the locks of Slurm jobs: the details a worker records,
and the job states asked of the real cluster's squeue, once per interval."""
import os
import shutil

import pytest
from pytest_jug import must

from jugcore.api import Owner
from jug_slurm import owners
from jug_slurm.jobs import GONE, JobStates


def test_a_worker_records_its_array_element_log_and_cluster():
    env = {"SLURM_ARRAY_JOB_ID": "12", "SLURM_ARRAY_TASK_ID": "3", "SLURM_JOB_ID": "15",
           "SLURM_CLUSTER_NAME": "big", "JUG_SLURM_LOG": "/scratch/jug-12_3.out"}
    assert owners.worker_details(env) == {"slurm-job": "12_3", "log": "/scratch/jug-12_3.out", "slurm-cluster": "big"}
    assert owners.worker_details({"SLURM_JOB_ID": "15"}) == {"slurm-job": "15"}  # sbatch or salloc, no array
    assert owners.worker_details({}) is None


@pytest.fixture
def counted_squeue(tmp_path, monkeypatch):
    """The real squeue, through a wrapper first on PATH that counts its calls."""
    calls = tmp_path / "squeue-calls"
    wrapper = tmp_path / "bin" / "squeue"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexec {shutil.which("squeue")} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    return lambda: len(calls.read_text().splitlines()) if calls.exists() else 0


def test_job_states_are_asked_once_per_interval_and_an_ended_jobs_owner_is_dead(
        tmp_path, slurm_cluster, counted_squeue, monkeypatch):
    job = slurm_cluster.client("sbatch", "--parsable", "--array=0-1", f"--output={tmp_path}/%A_%a.out",
                               "--wrap=sleep 300").stdout.strip()
    states = JobStates(interval=3600)
    assert states.job(f"{job}_0").state in ("PENDING", "RUNNING")
    assert states.job(f"{job}_1").state in ("PENDING", "RUNNING")
    assert counted_squeue() == 1  # one question for the whole array
    assert states.job("999999_0").state == GONE  # never known: asked anew (with the other job)
    assert counted_squeue() == 2
    monkeypatch.setattr(owners, "_states", JobStates(interval=0))
    must(lambda: owners._states.job(f"{job}_0").state == "RUNNING", 30, "the job to run")
    started = owners._states.job(f"{job}_0").started
    owner = Owner("node7", 1, started + 1, None, (("slurm-job", f"{job}_0"), ("slurm-cluster", "jugtest")))
    assert owners.job_alive(owner) is None  # running: Slurm cannot say more of a process on another node
    # A worker that started an hour before its job's current run ran in an earlier run (the job was requeued).
    assert owners.job_alive(owner._replace(started=started - 3600)) is False
    slurm_cluster.client("scancel", job)
    must(lambda: owners.job_alive(owner) is False, 30, "the cancelled job's owner to count as ended")
    monkeypatch.setenv("SLURM_CLUSTER_NAME", "jugtest")  # as in a job: the cluster is known
    assert owners.job_alive(owner) is False
    other = owner._replace(details=(("slurm-job", f"{job}_0"), ("slurm-cluster", "other")))
    assert owners.job_alive(other) is None  # our squeue does not know another cluster's jobs
    assert owners.job_alive(owner._replace(details=())) is None  # not a Slurm job's lock


def test_without_squeue_nobody_can_tell(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(owners, "_states", JobStates(interval=0))
    assert owners.job_alive(Owner("node7", 1, None, None, (("slurm-job", "12_3"),))) is None
