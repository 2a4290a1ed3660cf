"""``jug.subcommands.cleanup``: Jug 2's `cleanup` command object (our `jug cleanup` runs)."""
from jugcore.cli.jug2_commands import ClickCommand, Jug2Option

__all__ = ["cleanup"]


class CleanupCommand(ClickCommand):
    """Remove the results no task of the jugfile needs (and the locks)."""

    name = "cleanup"
    arguments = ("store", "options", "jugspace")
    jug2_options = (Jug2Option("cleanup_locks_only", ("--locks-only",)),
                    Jug2Option("cleanup_failed_only", ("--failed-only",)),
                    Jug2Option("cleanup_keep_locks", ("--keep-locks",)))


cleanup = CleanupCommand()
