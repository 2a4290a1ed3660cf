"""`jug sleep-until`: wait until every task is complete (through barriers), then exit 0."""
import sys
import time

import click

from jugcore.model.task import task_keys
from jugcore.cli.jugfile_command import jugfile_command
from jugcore.run.states import missing_tasks
from jugcore.plugins import hookimpl
from jugcore.stores.contract import FAILED


@jugfile_command("sleep-until")
@click.option("--max-interval", type=float, default=12.0, show_default=True, metavar="SECONDS",
              help="Longest pause between looks at the jugdir.")
def sleep_until(ctx, max_interval):
    """Wait until all tasks of JUGFILE are complete; exit 1 if one has failed."""
    pause = 0.05
    _, at_barrier = ctx.import_jugfile()
    tasks = list(ctx.tasks)
    while True:
        missing = missing_tasks(tasks, ctx.store)
        if not missing:
            if not at_barrier:
                sys.exit(0)
            _, at_barrier = ctx.import_jugfile()  # the next pass defines more tasks
            tasks = list(ctx.tasks)
            continue
        keys = task_keys(missing)
        states = ctx.store.lock_state_many(keys)
        failed = [k for k in keys if states.get(k) == FAILED]
        if failed:
            record = ctx.store.getlock(failed[0]).failure()
            why = f" ({record.headline()})" if record else ""
            name = next(t.name for t in missing if t.hash() == failed[0])
            click.echo(f"jug: {len(failed)} task(s) failed, e.g. {name}{why}: they cannot complete until "
                       "`jug execute` runs them again (`jug status --failed` lists them).", err=True)
            sys.exit(1)
        time.sleep(pause)
        pause = min(pause * 1.5, max_interval)


@hookimpl
def jug_register_commands(cli):
    cli.add_command(sleep_until)
