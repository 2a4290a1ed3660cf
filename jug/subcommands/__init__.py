"""``jug.subcommands``: Jug 2's API for user subcommands (re-exported from
jugcore.builtin.jug2_subcommands; ~/.config/jug/jug_user_commands.py is loaded
by jugcore.builtin.user_commands)."""
from jugcore.builtin.jug2_subcommands import NoSuchCommandError, SubCommand, SubCommandError, cmdapi  # noqa: F401

# Tells jugcore's `jug.subcommands` from Jug 2.7's (jugcore.cli.jug_package_check).
JUGCORE = True

__all__ = ["cmdapi", "SubCommand", "SubCommandError", "NoSuchCommandError"]
