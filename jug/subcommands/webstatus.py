"""``jug.subcommands.webstatus``: Jug 2's `webstatus` command object (our
`jug webstatus` runs: the jugfile's status in a web page that refreshes)."""
from jug.subcommands import SubCommand, status as st  # noqa: F401  (Jug's module names them)
from jugcore.cli.jug2_commands import ClickCommand, Jug2Option


class WebStatusCommand(ClickCommand):
    """Serve the jugfile's status as a web page."""

    name = "webstatus"
    jug2_options = (Jug2Option("webstatus_port", ("--port",), "8080"),
                    Jug2Option("webstatus_ip", ("--ip",), "localhost"))


webstatus = WebStatusCommand()
