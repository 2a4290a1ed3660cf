"""``jug.subcommands.count``: Jug 2's `count` command object (our `jug count` runs)."""
from jugcore.cli.jug2_commands import ClickCommand

__all__ = ["count"]


class CountCommand(ClickCommand):
    """Count the tasks of the jugfile, by name."""

    name = "count"
    arguments = ("store", "options", "jugspace")


count = CountCommand()
