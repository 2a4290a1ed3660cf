"""``jug.subcommands.status``: Jug 2's `status` command object (our `jug status` runs)."""
from jugcore.cli.jug2_commands import ClickCommand, Jug2Option

__all__ = ["status"]


class StatusCommand(ClickCommand):
    """Show where the tasks of the jugfile stand; exit 0 only when all are complete."""

    name = "status"
    jug2_options = (Jug2Option("status_cache", ("--cache",)),
                    Jug2Option("status_cache_file", ("--cache-file",), ".jugstatus.sqlite3"),
                    Jug2Option("status_cache_clear", ("--clear",)))


status = StatusCommand()
