"""``jug.subcommands.demo``: Jug 2's `demo` command (our `jug demo` runs)."""
from jugcore.cli.jug2_commands import ClickCommand

__all__ = ["DemoCommand"]


class DemoCommand(ClickCommand):
    """Write a small example jugfile to try jug on."""

    name = "demo"
    reads_jugfile = False


demo = DemoCommand()
