"""`jug status`: how many tasks of each name are failed, waiting, ready, complete or active."""
import sys

import click

from jugcore.cli.commands import status_details
from jugcore.cli.commands.status_cache import jug27_cache_options
from jugcore.cli.jugfile_command import jugfile_command
from jugcore.run.states import STATES, count_states
from jugcore.plugins import hookimpl
from jugcore.cli.tables import print_table


@jugfile_command("status")
@click.option("--short", is_flag=True, help="One line instead of the table.")
@click.option("--json", "as_json", is_flag=True, help="Counts per task name and totals, as JSON.")
@click.option("--failed", is_flag=True, help="List the failed tasks with the error that failed them.")
@click.option("--active", is_flag=True,
              help="List the tasks being run, with owner and age, and locks left by workers that are gone.")
@jug27_cache_options
def status(ctx, short, as_json, failed, active):
    """Show where the tasks of JUGFILE stand; exit 0 only when all are complete."""
    _, at_barrier = ctx.import_jugfile()
    counts = count_states(ctx.tasks, ctx.store)
    failures = status_details.failure_rows(counts, ctx.store) if (failed or as_json) else None
    if as_json:
        import json  # 2 ms: only --json needs it

        click.echo(json.dumps(status_details.as_json(counts, failures, at_barrier), indent=2))
    elif short:
        click.echo(_short_line(counts))
    else:
        print_table([(state, counts.by_state[state]) for state in STATES])
        status_details.print_footnotes(counts, at_barrier)
    if failed and not as_json:
        status_details.print_failures(failures, verbose=bool(ctx.verbose))
    if active and not as_json:
        status_details.print_locks(counts)
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
