"""The `jug` command line: the root group (main), the shared jugfile options, and one module per command."""
from jugcore.cli.main import main, make_cli  # noqa: F401

__all__ = ["main", "make_cli"]
