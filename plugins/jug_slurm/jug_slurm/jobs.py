"""Where Slurm jobs stand: one ``squeue`` call for all the jobs wanted.

Array elements are named ``JOB_INDEX`` (``12_3``), other jobs by their id.
Slurm forgets an ended job after a while (``MinJobAge``, five minutes by
default): a job it does not know has ended.
"""
import time
from datetime import datetime
from typing import NamedTuple, Optional

from jugcore.api import JugError

from jug_slurm.slurm import run_slurm

__all__ = ["GONE", "RUNNING_STATES", "ENDED_STATES", "Job", "query_jobs", "query_states", "JobStates",
           "array_job_of"]

GONE = "GONE"  # not known to Slurm (any more): ended
# Its processes run: the only states in which a worker of the job can hold a lock.
RUNNING_STATES = frozenset({"RUNNING", "SUSPENDED", "CONFIGURING", "SIGNALING", "RESIZING", "STOPPED"})
# It will not run again.
ENDED_STATES = frozenset({"COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL",
                          "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT", GONE})


def array_job_of(job):
    """'12' of '12_3' (and of '12')."""
    return job.split("_", 1)[0]


class Job(NamedTuple):
    """An array element (or job) as squeue shows it."""

    state: str
    started: Optional[float] = None  # epoch seconds its current run started (None: not started)


def query_jobs(jobs):
    """{element: Job} for every element Slurm knows of the jobs ``jobs`` (ids,
    without array index); raises JugError when Slurm cannot be asked."""
    try:
        out = run_slurm("squeue", "--noheader", "--array", "--states=all", "--format=%i %T %S",
                        "--jobs=" + ",".join(sorted(jobs)))
    except JugError as e:
        if "Invalid job id" in str(e):  # Slurm forgot every one of them
            return {}
        raise
    return {words[0]: Job(words[1], _epoch(words[2])) for words in map(str.split, out.splitlines())
            if len(words) == 3}


def query_states(jobs):
    """{element: state} of :func:`query_jobs`."""
    return {element: job.state for element, job in query_jobs(jobs).items()}


def _epoch(text):
    """squeue's start time (local time, ``2026-12-06T20:29:34``), or None (``N/A``)."""
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


class JobStates:
    """Slurm's answers about jobs, asked again at most once per ``interval``
    seconds (or for a job not asked about before): workers of one run
    polling for each other's locks must not flood the controller."""

    def __init__(self, interval):
        self.interval = interval
        self.wanted = set()
        self.jobs = None  # None: Slurm could not be asked
        self.asked = -float("inf")

    def job(self, element):
        """The :class:`Job` ``element`` (``12_3``), state GONE when Slurm forgot
        it, None when Slurm cannot be asked (no squeue here, the controller down)."""
        base = array_job_of(element)
        if base not in self.wanted or time.monotonic() - self.asked >= self.interval:
            self.wanted.add(base)
            self.asked = time.monotonic()
            try:
                self.jobs = query_jobs(self.wanted)
            except JugError:
                self.jobs = None
        if self.jobs is None:
            return None
        return self.jobs.get(element, Job(GONE))
