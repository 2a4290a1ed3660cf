"""The `jug` command line: the root group (main), the shared jugfile options, and one module per command."""
from jugcore.cli.main import main, main_execute, make_cli  # noqa: F401

__all__ = ["main", "main_execute", "make_cli"]
