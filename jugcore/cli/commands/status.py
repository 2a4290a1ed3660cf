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
@click.option("--timings", is_flag=True, help="Durations per task name (count, total, mean, max) and the slowest tasks.")
@click.option("--changed", is_flag=True, help="List the results computed by a different version of their task's code.")
@jug27_cache_options
def status(ctx, short, as_json, failed, active, timings, changed):
    """Show where the tasks of JUGFILE stand; exit 0 only when all are complete."""
    from jugcore.cli.commands import status_records  # every command loads this module: not that one

    _, at_barrier = ctx.import_jugfile()
    counts = count_states(ctx.tasks, ctx.store)
    failures = status_details.failure_rows(counts, ctx.store) if (failed or as_json) else None
    records = status_records.complete_records(counts, ctx.store) if (as_json or timings or changed) else None
    changed_keys = {} if short else status_records.changed_results(counts.tasks, ctx.store, records, counts.complete)
    if as_json:
        import json  # 2 ms: only --json needs it

        report = status_details.as_json(counts, failures, at_barrier)
        report["task_states"] = status_records.task_rows(counts, records, changed_keys)
        click.echo(json.dumps(report, indent=2))
    elif short:
        click.echo(_short_line(counts))
    else:
        print_table([(state, counts.by_state[state]) for state in STATES])
        status_details.print_footnotes(counts, at_barrier)
        if not changed:
            status_records.print_changed_note(changed_keys)
    if failed and not as_json:
        status_details.print_failures(failures, verbose=bool(ctx.verbose))
    if active and not as_json:
        status_details.print_locks(counts)
    if timings and not as_json:
        status_records.print_timings(counts, records)
    if changed and not as_json:
        status_records.print_changed(counts, changed_keys, records)
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
