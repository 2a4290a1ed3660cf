"""``jug.subcommands.execute``: Jug 2's `execute` command object (our `jug execute` runs)."""
from jugcore.cli.jug2_commands import ClickCommand, Jug2Option

__all__ = ["execute"]


class ExecuteCommand(ClickCommand):
    """Run the tasks of the jugfile that have no result yet."""

    name = "execute"
    jug2_options = (Jug2Option("execute_wait_cycle_time", ("--wait-cycle-time",), 12.0),
                    Jug2Option("execute_nr_wait_cycles", ("--nr-wait-cycles",), 150),
                    Jug2Option("execute_name", ("--name", "--target", "--invalid"), None),
                    Jug2Option("execute_pattern", ("--pattern",), None),
                    Jug2Option("execute_keep_going", ("--keep-going",)),
                    Jug2Option("execute_keep_failed", ("--keep-failed",)),
                    Jug2Option("execute_no_check_environment", ("--no-check-environment",)))


execute = ExecuteCommand()
