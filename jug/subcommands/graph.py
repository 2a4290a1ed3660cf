"""``jug.subcommands.graph``: Jug 2's `graph` command object (our `jug graph` runs)."""
from jugcore.cli.jug2_commands import ClickCommand, Jug2Option

__all__ = ["graph"]


class GraphCommand(ClickCommand):
    """Draw the tasks of the jugfile and what each needs (with Graphviz's dot)."""

    name = "graph"
    arguments = ("store", "options", "jugspace")
    jug2_options = (Jug2Option("graph_no_status", ("--no-status",)),
                    Jug2Option("graph_format", ("--file-format",), "png"))


graph = GraphCommand()
