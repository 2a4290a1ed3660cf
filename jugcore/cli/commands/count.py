"""`jug count`: how many tasks of each name the jugfile defines (no store queries)."""
from collections import Counter

import click

from jugcore.cli.jugfile_command import BARRIER_NOTE, jugfile_command
from jugcore.plugins import hookimpl
from jugcore.cli.tables import print_table


@jugfile_command("count")
@click.option("--short", is_flag=True, help="Only the total.")
def count(ctx, short):
    """Count the tasks of JUGFILE, per task name."""
    _, at_barrier = ctx.import_jugfile()
    counts = Counter(t.name for t in ctx.tasks)
    if short:
        total = sum(counts.values())
        click.echo(f"Count:  {total} tasks\n** Total: {total} tasks.")
    else:
        print_table([("Count", counts)])
    if at_barrier:
        click.echo(BARRIER_NOTE)


@hookimpl
def jug_register_commands(cli):
    cli.add_command(count)
