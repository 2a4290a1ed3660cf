"""`jug status`: how many tasks of each name are failed, waiting, ready, complete or active."""
import sys

import click

from jugcore import task
from jugcore.commands.common import jugfile_command
from jugcore.graphstate import STATES, count_states
from jugcore.plugins import hookimpl
from jugcore.summary import print_table


@jugfile_command("status")
@click.option("--short", is_flag=True, help="One line instead of the table.")
def status(ctx, short):
    """Show where the tasks of JUGFILE stand; exit 0 only when all are complete."""
    _, at_barrier = ctx.import_jugfile()
    counts = count_states(task.alltasks, ctx.store)
    if short:
        click.echo(_short_line(counts))
    else:
        print_table([(state, counts.by_state[state]) for state in STATES])
    if at_barrier:
        click.echo("(The jugfile stops at a barrier: tasks defined after it are not counted yet.)")
    sys.exit(0 if counts.all_complete and not at_barrier else 1)


def _short_line(counts):
    finished = counts.total("Complete")
    if counts.all_complete:
        return f"All tasks complete ({finished} tasks)."
    to_run = counts.total("Waiting") + counts.total("Ready")
    active = counts.total("Active")
    return (f"{to_run} tasks waiting to be run, {counts.total('Failed')} failed, {finished} complete, "
            f"({active or 'none'} active).")


@hookimpl
def jug_register_commands(cli):
    cli.add_command(status)
