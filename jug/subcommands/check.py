"""``jug.subcommands.check``: Jug 2's `check` and `sleep-until` command objects (our commands run)."""
from jugcore.cli.jug2_commands import ClickCommand

__all__ = ["check", "sleep_until"]


class CheckCommand(ClickCommand):
    """Exit 0 when every task of the jugfile has its result, 1 otherwise."""

    name = "check"
    arguments = ("store", "options", "jugspace")


class SleepUntilCommand(ClickCommand):
    """Wait until every task of the jugfile has its result (or one failed)."""

    name = "sleep-until"


check = CheckCommand()
sleep_until = SleepUntilCommand()
