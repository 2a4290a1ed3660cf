"""Adds `jug shell`.  IPython is imported only when the shell starts, so that
the rest of jug works (and `jug shell` explains) where IPython is missing."""
from jugcore.api import hookimpl


@hookimpl
def jug_register_commands(cli):
    from jug_shell.command import shell

    cli.add_command(shell)
