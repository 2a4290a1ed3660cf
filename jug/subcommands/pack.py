"""``jug.subcommands.pack``: Jug 2's `pack` command object; `jug pack` comes
from the jug-file plugin (without it, running this says to install it)."""
from jugcore.cli.jug2_commands import ClickCommand

__all__ = ["pack"]


class PackCommand(ClickCommand):
    """Pack the jugdir's small result files into one file (file stores)."""

    name = "pack"
    arguments = ("store", "options", "jugspace")


pack = PackCommand()
