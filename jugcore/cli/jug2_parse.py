"""Jug 2's command-line parser (``jug.options.build_parser`` and ``parse``),
for scripts that build Jug's options: argparse over Jug 2's command objects
(``jug.subcommands.*``, each running one of our commands) and any
``SubCommand`` the script made, with the jugrc's settings under them.  `jug`
itself parses with click; nothing here is on its path."""
import importlib
import pkgutil
import sys

from jugcore import __version__
from jugcore.builtin.jug2_options import add_common_options, read_configuration_file
from jugcore.builtin.jug2_subcommands import Options, cmdapi, default_options
from jugcore.face import expand_jugdir

__all__ = ["build_parser", "parse"]


def build_parser():
    """An argparse parser for `jug SUBCOMMAND [JUGFILE] [OPTIONS]`: one
    subparser per command object, each with Jug's option names as ``dest``."""
    import argparse

    _load_command_objects()
    parser = argparse.ArgumentParser(prog="jug", description="Task-based parallel computing (jugcore).")
    parser.add_argument("--version", action="version", version=f"jug (jugcore) {__version__}")
    subparsers = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    subparsers.required = True
    for name, command in sorted(cmdapi.commands().items()):
        sub = subparsers.add_parser(name, help=(type(command).__doc__ or "").strip().split("\n")[0])
        command.parse(sub.add_argument_group(name))
        add_common_options(sub)
        sub.add_argument("user_args", nargs="*", default=[])
    return parser


def _load_command_objects():
    """Import every module of ``jug.subcommands`` (each registers its command objects)."""
    package = importlib.import_module("jug.subcommands")
    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{module.name}")


def parse(args=None, optionsfile=None):
    """Jug's options for the command line ``args`` (default ``sys.argv[1:]``):
    given on it, else in ``optionsfile`` or the jugrc files, else the defaults.
    ``jugdir`` comes expanded; ``sys.argv`` becomes ``[jugfile, *user_args]``,
    as the jugfile sees it under `jug`."""
    args = sys.argv[1:] if args is None else list(args)
    parser = build_parser()
    if not args:
        parser.print_help()
        sys.exit(1)
    given = parser.parse_args(args)
    options = Options(read_configuration_file(optionsfile, default_options))
    options.update({key: value for key, value in vars(given).items() if value is not None})
    if options.pdb:
        options.debug = True
    if options.verbose and options.verbose.lower() in ("debug", "info"):
        from jugcore.logs import configure

        configure(options.verbose.lower())
    options.jugdir = expand_jugdir(options.jugdir, options.jugfile)
    sys.argv[:] = [options.jugfile, *given.user_args]
    return options
