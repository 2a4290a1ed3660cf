"""``jug.subcommands.internal_validation``: Jug 2's `test-jug` command object
(our `jug test-jug` runs: the store contract and a jugfile end to end)."""
from jugcore.cli.jug2_commands import ClickCommand

__all__ = ["internal_validation"]


class InternalValidationCommand(ClickCommand):
    """Check that the installed jug works: each store, and a small jugfile run."""

    name = "test-jug"
    reads_jugfile = False


internal_validation = InternalValidationCommand()
