"""`jug check`: exit 0 if every task is complete, 1 otherwise (prints nothing)."""
import sys

from jugcore.cli.jugfile_command import jugfile_command
from jugcore.run.states import missing_tasks
from jugcore.plugins import hookimpl


@jugfile_command("check")
def check(ctx):
    """Exit 0 if all tasks of JUGFILE are complete, 1 if any is not."""
    _, at_barrier = ctx.import_jugfile()
    complete = not at_barrier and not missing_tasks(ctx.tasks, ctx.store)
    sys.exit(0 if complete else 1)


@hookimpl
def jug_register_commands(cli):
    cli.add_command(check)
