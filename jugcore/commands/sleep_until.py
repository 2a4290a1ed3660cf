"""`jug sleep-until`: wait until every task is complete (through barriers), then exit 0."""
import sys
import time

import click

from jugcore import task
from jugcore.commands.common import jugfile_command
from jugcore.graphstate import missing_tasks
from jugcore.plugins import hookimpl
from jugcore.store import FAILED


@jugfile_command("sleep-until")
@click.option("--max-interval", type=float, default=12.0, show_default=True, metavar="SECONDS",
              help="Longest pause between looks at the jugdir.")
def sleep_until(ctx, max_interval):
    """Wait until all tasks of JUGFILE are complete; exit 1 if one has failed."""
    pause = 0.05
    _, at_barrier = ctx.import_jugfile()
    tasks = list(task.alltasks)
    while True:
        missing = missing_tasks(tasks, ctx.store)
        if not missing:
            if not at_barrier:
                sys.exit(0)
            _, at_barrier = ctx.import_jugfile()  # the next pass defines more tasks
            tasks = list(task.alltasks)
            continue
        states = ctx.store.lock_state_many([t.hash() for t in missing])
        failed = [t for t in missing if states.get(t.hash()) == FAILED]
        if failed:
            click.echo(f"jug: {len(failed)} task(s) failed (e.g. {failed[0].name}); they will not complete "
                       "until their failed marks are cleared (in a file jugdir, delete "
                       f"locks/{failed[0].hash().decode()}.lock) and jug execute runs them again.", err=True)
            sys.exit(1)
        time.sleep(pause)
        pause = min(pause * 1.5, max_interval)


@hookimpl
def jug_register_commands(cli):
    cli.add_command(sleep_until)
