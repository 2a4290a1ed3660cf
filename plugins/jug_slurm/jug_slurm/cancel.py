"""`jug cancel`: cancel the Slurm jobs `jug submit` started for this jugfile
and jugdir (those recorded in ``<jugfile>.slurm/jobs``), and no others."""
import click
from jugcore.api import jugfile_command

from jug_slurm.jobs import ENDED_STATES, array_job_of, query_states
from jug_slurm.jugdir import jugdir_for_workers
from jug_slurm.project import Project
from jug_slurm.slurm import run_slurm


@jugfile_command("cancel")
def cancel(ctx):
    """Cancel the Slurm jobs `jug submit` submitted for JUGFILE and its jugdir that are still queued or running."""
    jugdir = jugdir_for_workers(ctx.app, ctx.jugdir, 1)
    submitted = [s.job for s in Project(ctx.jugfile).submissions(jugdir)]
    if not submitted:
        click.echo(f"No job was submitted for {ctx.jugfile} with jugdir {jugdir}.")
        return
    states = query_states(submitted)
    live = sorted({array_job_of(e) for e, state in states.items() if state not in ENDED_STATES}, key=int)
    if not live:
        click.echo(f"No job of {ctx.jugfile} is queued or running (submitted: {', '.join(submitted)}).")
        return
    run_slurm("scancel", *live)
    elements = sum(1 for e, state in states.items() if array_job_of(e) in live and state not in ENDED_STATES)
    click.echo(f"Cancelled job{'s' if len(live) != 1 else ''} {', '.join(live)} ({elements} worker"
               f"{'s' if elements != 1 else ''} queued or running).")
