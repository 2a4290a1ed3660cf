"""The `jug` command line: a click group whose commands all come from plugins."""
import gc
import sys

import click

from jugcore import JUG_COMPATIBLE_VERSION, __version__
from jugcore.app import App, make_app, use_app
from jugcore.cli.completion import SHELLS, print_completion
from jugcore.cli.jug_package_check import check_jug_package
from jugcore.errors import JugError, StoreWriteError, is_store_environment_error
from jugcore.face import mark_jug_running
from jugcore.plugins import call_each
from jugcore.run.worker_spec import is_worker_command

__all__ = ["make_cli", "main", "main_execute", "jug2_main"]

_LOG_LEVELS = {"debug", "info", "warning", "warn", "error", "critical"}


class JugGroup(click.Group):
    """The root group: lists commands with whole first sentences, and keeps Jug
    2's `--verbose LEVEL` spelling working beside a bare `--verbose`."""

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, _normalise_verbose(args))

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name and self.get_command(ctx, name) is None and isinstance(ctx.obj, App):
            from jugcore.cli.missing_command import fail_if_provided_elsewhere  # only a missing command

            fail_if_provided_elsewhere(ctx.obj.pm, name)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter):
        # click cuts each summary at 45 characters ("Remove the results in the
        # jugdir that no task of JUGFILE..."): a sentence cut short says less.
        rows = [(name, _summary(command)) for name, command in
                ((name, self.get_command(ctx, name)) for name in self.list_commands(ctx))
                if command is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _summary(command):
    """The command's short help if it set one, else its help's first sentence, whole."""
    if command.short_help:
        return command.short_help
    text = " ".join((command.help or "").split())
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


def _normalise_verbose(args):
    out = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return out + args[i:]
        if arg == "--verbose":
            following = args[i + 1] if i + 1 < len(args) else None
            if following is not None and following.lower() in _LOG_LEVELS:
                out.append(f"--verbose={following.lower()}")
                i += 2
                continue
            out.append("--verbose=info")
        else:
            out.append(arg)
        i += 1
    return out


class _PluginCommands:
    """What a plugin's ``jug_register_commands`` receives: adds commands to the
    root group and refuses a name another plugin took."""

    def __init__(self, group, plugin_name, owners, pm):
        self._group = group
        self._plugin = plugin_name
        self._owners = owners
        self._pm = pm

    def add_command(self, command, name=None):
        name = name or command.name
        if name in self._owners:
            raise JugError(
                f"two plugins define the command 'jug {name}': {self._pm.describe_plugin(self._owners[name])} "
                f"and {self._pm.describe_plugin(self._plugin)}. Uninstall one, or block it with "
                "JUG_DISABLE_PLUGINS."
            )
        self._owners[name] = self._plugin
        self._group.add_command(command, name)

    def __getattr__(self, attribute):
        return getattr(self._group, attribute)


def make_cli(pm):
    """The root command with every plugin's commands added."""

    @click.group(cls=JugGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "--version", prog_name="jug",
                          message=f"%(prog)s (jugcore) %(version)s, compatible with Jug {JUG_COMPATIBLE_VERSION}")
    @click.option("--print-completion", type=click.Choice(SHELLS), metavar="SHELL", is_eager=True,
                  expose_value=False, callback=print_completion,
                  help="Print the completion script for SHELL (bash, zsh or fish) and exit; for bash, put "
                       "'eval \"$(jug --print-completion bash)\"' in ~/.bashrc.")
    def cli():
        """Task-based parallel computing: run `jug execute jugfile.py` in as many
        processes and on as many machines as you like; they share the work
        through the jugdir."""

    owners = {}
    per_plugin = {"cli": lambda plugin: _PluginCommands(cli, plugin, owners, pm)}
    for _ in call_each(pm, "jug_register_commands", per_plugin=per_plugin):
        pass
    cli.command_owners = owners
    return cli


def main(argv=None):
    mark_jug_running()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        check_jug_package()
        app = use_app(make_app(commands=make_cli))
        if not is_worker_command(args):  # started by `jug execute -j`, which checked it
            app.config.check()
        default_map = app.config.default_map()
    except JugError as e:
        e.show()
        sys.exit(e.exit_code)
    try:
        # Options not given on the command line come from the configuration;
        # every command gets the app as click's context object.
        app.cli.main(args=args, prog_name="jug", default_map=default_map, obj=app)
    except OSError as e:
        _exit_if_unwritable(e, verbose=any(arg.startswith("--verbose") for arg in args))
        raise
    finally:
        # Interpreter shutdown runs the cyclic collector over every object
        # left (10-30 ms after a big jugfile, paid by every command); objects
        # still alive now are freed by reference counting alone.
        gc.freeze()


def main_execute():
    """The `jug-execute` script Jug 2 installs: `jug execute` with the arguments given."""
    main(["execute", *sys.argv[1:]])


def jug2_main(argv=None):
    """Jug 2's ``jug.jug.main``: ``argv`` is a whole command line, program name first."""
    main(None if argv is None else list(argv)[1:])


def _exit_if_unwritable(error, verbose):
    """A jugdir that cannot be written (read-only, full, no permission) is the
    user's to fix, whichever command found it: one line, exit 1 (and the
    traceback too with --verbose)."""
    if not is_store_environment_error(error):
        return
    if verbose:
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__)
    failure = StoreWriteError(error, f"writing {error.filename or 'the jugdir'}", "the jugdir")
    failure.show()
    sys.exit(failure.exit_code)


if __name__ == "__main__":
    main()
