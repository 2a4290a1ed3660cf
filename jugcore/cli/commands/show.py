"""`jug show JUGFILE TASK`: one task in full (show_task.py prints it, loaded
only when this command runs)."""
from jugcore.cli.jugfile_command import jugfile_command
from jugcore.errors import JugError
from jugcore.plugins import hookimpl


@jugfile_command("show")
def show(ctx):
    """Show one task of JUGFILE in full: jug show JUGFILE TASK, where TASK is a name, name[index] or a key prefix."""
    if not ctx.user_args:
        raise JugError("say which task to show: jug show JUGFILE TASK (a name, name[index], or a key prefix)",
                       exit_code=2)
    from jugcore.cli.commands.show_task import show_task

    show_task(ctx, ctx.user_args.pop(0))  # the other arguments are the jugfile's own


@hookimpl
def jug_register_commands(cli):
    cli.add_command(show)
