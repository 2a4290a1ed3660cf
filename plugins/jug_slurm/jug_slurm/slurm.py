"""Running Slurm's commands (sbatch, squeue, scancel): their output, or one
line saying what went wrong and what to do."""
from jugcore.api import JugError

__all__ = ["run_slurm"]

TIMEOUT = 60  # seconds: a controller that does not answer within this is down


def run_slurm(command, *args, input=None):
    """``command args...``'s standard output; a :class:`JugError` with Slurm's
    own message when it fails."""
    import shutil  # not loaded by every `jug` start (these commands are registered on each)
    import subprocess

    path = shutil.which(command)
    if path is None:
        raise JugError(f"'{command}' is not on PATH: run this on a machine of the Slurm cluster "
                           "(a login node), or load Slurm first (module load slurm)")
    try:
        done = subprocess.run([path, *args], input=input, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise JugError(f"{command} did not answer within {TIMEOUT} s: is the Slurm controller up (sinfo)?") from None
    if done.returncode != 0:
        said = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        raise JugError(f"{command} failed: {said}")
    return done.stdout
