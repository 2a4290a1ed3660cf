"""``jug.subcommands.invalidate``: Jug 2's `invalidate` command object (our `jug invalidate` runs)."""
from jugcore.cli.jug2_commands import ClickCommand, Jug2Option

__all__ = ["invalidate"]


class InvalidateCommand(ClickCommand):
    """Remove the results of the tasks selected and of every task that needs them."""

    name = "invalidate"
    arguments = ("store", "options", "jugspace")
    jug2_options = (Jug2Option("invalid_name", ("--name", "--target", "--invalid"), None),
                    Jug2Option("invalid_pattern", ("--pattern",), None))


invalidate = InvalidateCommand()
