"""A worker's Slurm job, recorded with its locks and failures, and the
judgement of locks by their job: a lock whose job no longer runs is dead,
whichever node it ran on."""
import os

from jugcore.api import get_setting

from jug_slurm.jobs import RUNNING_STATES, JobStates

__all__ = ["worker_details", "job_alive", "LOG_VARIABLE"]

LOG_VARIABLE = "JUG_SLURM_LOG"
# Seconds the controller's clock (a job's start) may run ahead of a node's (a
# worker's start): a job that started later than this after its worker did
# was requeued and runs again, without that worker.
SKEW = 30  # set by the job script `jug submit` writes: the worker's log file

_states = None  # JobStates, made on first use (the query interval is a setting)


def worker_details(environ=os.environ):
    """{"slurm-job": "12_3", "log": ..., "slurm-cluster": ...} inside a Slurm
    job (an array element, a batch job, an salloc shell), else None."""
    array, index = environ.get("SLURM_ARRAY_JOB_ID"), environ.get("SLURM_ARRAY_TASK_ID")
    job = f"{array}_{index}" if array and index else environ.get("SLURM_JOB_ID")
    if not job:
        return None
    details = {"slurm-job": job}
    for name, variable in (("log", LOG_VARIABLE), ("slurm-cluster", "SLURM_CLUSTER_NAME")):
        if environ.get(variable):
            details[name] = environ[variable]
    return details


def job_alive(owner):
    """False when the Slurm job that ``owner`` ran in has ended, or was put
    back in the queue (pending, or running again since after ``owner``
    started): its processes are gone.  None otherwise, for the other judges
    (the same host's pid check) to decide."""
    global _states
    details = dict(owner.details)
    job, cluster = details.get("slurm-job"), details.get("slurm-cluster")
    here = os.environ.get("SLURM_CLUSTER_NAME")
    if job is None or (cluster and here and cluster != here):
        return None  # not a Slurm job's, or another cluster's: its squeue would not know the job
    if _states is None:
        _states = JobStates(get_setting("slurm.query-interval"))
    found = _states.job(job)
    if found is None:
        return None  # Slurm cannot be asked from here
    if found.state not in RUNNING_STATES:
        return False
    restarted = owner.started is not None and found.started is not None and found.started > owner.started + SKEW
    return False if restarted else None
