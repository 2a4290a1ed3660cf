"""`jug submit`: the workers of a jugfile as one Slurm job array."""
import os

import click
from jugcore.api import JugError, jugfile_command

from jug_slurm.jugdir import jugdir_for_workers
from jug_slurm.project import Project
from jug_slurm.script import JobRequest, job_script
from jug_slurm.slurm import run_slurm


@jugfile_command("submit")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many workers (array elements, one `jug execute` each).")
@click.option("--partition", metavar="P", help="The Slurm partition (sbatch --partition).")
@click.option("--time", metavar="T", help="Each worker's time limit (sbatch --time: MINUTES, H:MM:SS, D-HH...).")
@click.option("--mem", metavar="M", help="Each worker's memory (sbatch --mem: 4G, 500M).")
@click.option("--cpus-per-task", type=click.IntRange(min=1), default=1, show_default=True,
              help="CPUs of each worker (sbatch --cpus-per-task).")
@click.option("--sbatch-arg", "sbatch_args", multiple=True, metavar="ARG",
              help="Another sbatch option for the job script, such as --sbatch-arg=--qos=long (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the job script instead of submitting it.")
@click.option("--follow", is_flag=True,
              help="Then follow the run until it ends: exit 0 when every task is complete, 1 when the "
                   "jobs ended with tasks left (saying why).")
@click.option("--poll", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds between two looks at the run under --follow.")
def submit(ctx, workers, partition, time, mem, cpus_per_task, sbatch_args, dry_run, follow, poll):
    """Submit JUGFILE's workers to Slurm as one job array; print its job id and where its logs go."""
    if not os.path.isfile(ctx.jugfile):
        raise JugError(f"no jugfile {ctx.jugfile}: name the jugfile to run (jug submit analysis.py --workers 4)")
    jugdir = jugdir_for_workers(ctx.app, ctx.jugdir, workers)
    project = Project(ctx.jugfile)
    stem = os.path.basename(project.folder)[:-len(".slurm")]
    request = JobRequest(workers, partition, time, mem, cpus_per_task, tuple(sbatch_args), f"jug-{stem}")
    script = job_script(request, project.logs, _execute_args(ctx, jugdir))
    if dry_run:
        click.echo(script, nl=False)
        return
    project.prepare()
    job = run_slurm("sbatch", "--parsable", input=script).strip().split(";")[0]
    submission = project.remember(job, jugdir, workers, script)
    click.echo(f"Submitted job {job}: {workers} worker{'s' if workers != 1 else ''} of {ctx.jugfile}")
    click.echo(f"  jugdir: {jugdir}")
    click.echo(f"  logs:   {os.path.join(project.logs, f'jug-{job}_*.out')}")
    click.echo(f"  script: {os.path.join(project.folder, f'job-{job}.sh')}")
    if follow:
        from jug_slurm.follow import follow_run

        raise SystemExit(follow_run(ctx, [submission], poll))
    click.echo(f"Follow it with `jug follow {ctx.jugfile}`; stop it with `jug cancel {ctx.jugfile}`.")


def _execute_args(ctx, jugdir):
    """`jug execute`'s arguments for the workers: this command's jugdir, options and user arguments."""
    args = ["--jugdir", jugdir]
    if ctx.verbose:
        args += ["--verbose", ctx.verbose]
    if ctx.debug:
        args.append("--debug")
    if ctx.aggressive_unload:
        args.append("--aggressive-unload")
    return [*args, "--", os.path.abspath(ctx.jugfile), *ctx.user_args]
