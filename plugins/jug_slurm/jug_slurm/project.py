"""What `jug submit` keeps beside the jugfile, in ``<jugfile>.slurm/``:
``jobs`` (one JSON line per submission: job id, jugdir, workers, logs),
``job-ID.sh`` (the script submitted) and ``logs/`` (one file per worker).
`jug cancel` reads ``jobs``, so it only ever cancels this project's jobs."""
import os
import time
from typing import NamedTuple

from jugcore.api import JugError, write_replacing

__all__ = ["Project", "Submission"]


class Submission(NamedTuple):
    job: str  # Slurm's job id of the array
    jugdir: str
    workers: int
    logs: str  # folder of the workers' log files
    submitted: float

    def elements(self):
        """The array's elements, as Slurm names them: ['12_0', '12_1', ...]."""
        return [f"{self.job}_{index}" for index in range(self.workers)]

    def log_of(self, element):
        """The log file of array element ``element`` ('12_3')."""
        return os.path.join(self.logs, f"jug-{element}.out")


class Project:
    """The ``<jugfile>.slurm`` folder of one jugfile."""

    def __init__(self, jugfile):
        base = os.path.basename(jugfile)
        stem = base[:-3] if base.endswith(".py") else base
        self.folder = os.path.join(os.path.dirname(os.path.abspath(jugfile)), f"{stem}.slurm")
        self.logs = os.path.join(self.folder, "logs")
        self.jobs_file = os.path.join(self.folder, "jobs")

    def prepare(self):
        os.makedirs(self.logs, exist_ok=True)

    def remember(self, job, jugdir, workers, script):
        """Record a submitted job (and keep its script); returns its Submission."""
        import json  # not loaded by every `jug` start (these commands are registered on each)

        submission = Submission(job, jugdir, workers, self.logs, time.time())
        write_replacing(os.path.join(self.folder, f"job-{job}.sh"), script.encode())
        lines = [json.dumps(s._asdict()) for s in self.submissions()] + [json.dumps(submission._asdict())]
        write_replacing(self.jobs_file, ("\n".join(lines) + "\n").encode())
        return submission

    def submissions(self, jugdir=None):
        """Every job submitted for this jugfile (for ``jugdir`` only, if given), oldest first."""
        import json

        try:
            with open(self.jobs_file) as f:
                found = [Submission(**json.loads(line)) for line in f if line.strip()]
        except FileNotFoundError:
            return []
        except (ValueError, TypeError) as e:
            raise JugError(f"{self.jobs_file} is damaged ({e}): remove the lines that are not jobs "
                           "`jug submit` wrote, or the file") from None
        return [s for s in found if jugdir is None or s.jugdir == jugdir]
