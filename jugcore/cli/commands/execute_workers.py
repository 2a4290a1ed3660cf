"""`jug execute -j N`: run N workers on this machine (jugcore.run.local_workers)
and print one table for all."""
import click

from jugcore.cli.run_report import print_outcome
from jugcore.cli.tables import print_table
from jugcore.run.local_workers import run_local_workers

__all__ = ["run_workers"]


def run_workers(ctx, jobs, args, run_started):
    """Run ``jobs`` workers on this command's ``args``; print their combined table; the exit code."""
    summary, silent, all_ok = run_local_workers(ctx.pm, ctx.jugdir, jobs, args, run_started)
    print_table([("Executed", summary.executed), ("Loaded", summary.loaded)])
    print_outcome(summary)
    for sentence in silent:
        click.echo(f"jug: {sentence}", err=True)
    return 0 if all_ok else 1
