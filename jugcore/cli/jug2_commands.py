"""Jug 2's command objects (``jug.subcommands.status.status``, ...) over our
click commands.

A :class:`ClickCommand` is a ``jug.subcommands.SubCommand``: ``run(options,
store, jugspace)`` turns Jug's option names (``options.status_cache``) into
our command line (`jug status --cache`), runs that command in this process
and returns its exit code.  The store and namespace Jug's callers hand over
are not used: our command opens ``options.jugdir`` and imports
``options.jugfile`` itself.  Each option is declared once
(:class:`~jugcore.builtin.jug2_options.Jug2Option`), which gives ``parse``
(argparse, for ``jug.options.build_parser``), ``parse_defaults`` and the
command line.  The command is looked up by name when it runs, through the
plugin manager, so a command from a plugin that is not installed says which
to install.
"""
from jugcore.builtin.jug2_options import COMMON_OPTIONS, Jug2Option  # noqa: F401  (jug.subcommands.* use it)
from jugcore.builtin.jug2_subcommands import COMMON_DEFAULTS, SubCommand, default_options
from jugcore.cli.main import run_in_process
from jugcore.face import expand_jugdir

__all__ = ["Jug2Option", "ClickCommand", "command_line"]


class ClickCommand(SubCommand):
    """A Jug 2 command object for our `jug NAME` (``name``).  Subclasses set
    ``name``, a docstring (its first line is the help), ``jug2_options`` (the
    command's own :class:`Jug2Option`), ``arguments`` (Jug's order of ``run``'s
    positional arguments) and ``reads_jugfile``."""

    jug2_options = ()
    arguments = ("options", "store", "jugspace")
    reads_jugfile = True

    def parse(self, parser):
        for option in self.jug2_options:
            option.add_to(parser)

    def parse_defaults(self):
        return {option.dest: option.default for option in self.jug2_options} or None

    def run(self, *args, **kwargs):
        given = dict(zip(self.arguments, args), **kwargs)
        options = given.get("options")
        print_out = getattr(options, "print_out", print)
        if print_out is print:
            return run_in_process(command_line(self, options))
        return _printing_to(print_out, command_line(self, options))


def command_line(command, options):
    """`jug` arguments running ``command`` with Jug 2 ``options`` (an Options,
    an argparse namespace, or None for the defaults)."""
    if options is None:
        options = default_options
    own = [arg for option in command.jug2_options for arg in option.arguments(options)]
    if not command.reads_jugfile:
        return [command.name, *own]
    jugfile = getattr(options, "jugfile", None) or COMMON_DEFAULTS["jugfile"]
    common = [arg for option in COMMON_OPTIONS for arg in option.arguments(options)
              if arg != f"--jugdir={_default_jugdir(jugfile)}"]  # so that our configuration decides
    user_args = list(getattr(options, "user_args", None) or [])
    return [command.name, *common, *own, "--", jugfile, *user_args]


def _printing_to(print_out, args):
    """Run `jug ARGS` with its output going, line by line, to ``print_out``
    (Jug's commands print through ``options.print_out``)."""
    import contextlib
    import io

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = run_in_process(args)
    for line in output.getvalue().splitlines():
        print_out(line)
    return code


def _default_jugdir(jugfile):
    """The default jugdir as Jug's ``parse`` hands it over: expanded for ``jugfile``."""
    return expand_jugdir(COMMON_DEFAULTS["jugdir"], jugfile)
