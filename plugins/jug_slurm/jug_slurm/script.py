"""The job script `jug submit` writes: a job array whose every element runs
`jug execute` on the same jugfile, jugdir, arguments and options, with the
Python that runs `jug submit` (so the same environment), in the folder it
was started from (so the same configuration files)."""
import os
import shlex
import sys
from typing import NamedTuple, Optional, Tuple

from jugcore.api import JugError

from jug_slurm.owners import LOG_VARIABLE

__all__ = ["JobRequest", "job_script"]


class JobRequest(NamedTuple):
    """What one submission asks Slurm for."""

    workers: int
    partition: Optional[str] = None
    time: Optional[str] = None
    mem: Optional[str] = None
    cpus_per_task: int = 1
    sbatch_args: Tuple[str, ...] = ()
    job_name: str = "jug"


def job_script(request, logs, execute_args):
    """The script's text: ``#SBATCH`` lines for ``request``, output to
    ``logs/jug-JOB_INDEX.out``, then ``jug execute`` with ``execute_args``."""
    options = [f"--job-name={request.job_name}", f"--array=0-{request.workers - 1}",
               f"--output={os.path.join(logs, 'jug-%A_%a.out')}", f"--chdir={os.getcwd()}",
               f"--cpus-per-task={request.cpus_per_task}"]
    for name, value in (("partition", request.partition), ("time", request.time), ("mem", request.mem)):
        if value:
            options.append(f"--{name}={value}")
    options += request.sbatch_args
    for option in options:
        if "\n" in option or not option.startswith("-"):
            raise JugError(f"--sbatch-arg {option!r} is not one sbatch option: give each as "
                           "--sbatch-arg=--NAME=VALUE (for example --sbatch-arg=--qos=long)")
    log = os.path.join(logs, "jug-${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.out")
    command = " ".join(shlex.quote(word) for word in (sys.executable, "-m", "jugcore", "execute", *execute_args))
    return "\n".join([
        "#!/bin/bash",
        f"# Written by `jug submit` (jug-slurm): {request.workers} jug execute worker(s), one per array element.",
        *(f"#SBATCH {option}" for option in options),
        f'export {LOG_VARIABLE}="{log}"',
        f"exec {command}",
        "",
    ])
