"""The subcommands of Jug 2's user file, ``~/.config/jug/jug_user_commands.py``
(in the user's config folder, as for the jugrc), as `jug` commands.

The file defines ``jug.subcommands.SubCommand`` subclasses and instantiates
them (see :mod:`jugcore.builtin.jug2_subcommands`).  Each becomes a click
command that parses its arguments as Jug 2 did (argparse: the common options
plus the command's own ``parse``), imports the jugfile, and calls
``run(options=..., store=..., jugspace=...)``; its return value is the exit
code.  A file that fails to import, a command that breaks the API or takes a
name already used: one warning naming the file and the reason; the other
commands still work.  A file another user could have written is not run (as
for config files: ``safe-directories``).
"""
import os
import sys

from jugcore.dirs import user_config_dir
from jugcore.errors import JugError, warn
from jugcore.plugins import hookimpl

__all__ = ["USER_COMMANDS_FILE", "user_commands_path"]

USER_COMMANDS_FILE = "jug_user_commands.py"


def user_commands_path():
    return os.path.join(user_config_dir(), USER_COMMANDS_FILE)


@hookimpl(trylast=True)  # after every plugin's: a user command cannot take a name a plugin has
def jug_register_commands(cli):
    path = user_commands_path()
    if not os.path.isfile(path):  # the common case: one stat, nothing imported
        return
    from jugcore.builtin.jug2_subcommands import SubCommandError

    for name, command in _load(path).items():
        try:
            cli.add_command(_click_command(command, path), name)
        except (JugError, SubCommandError) as e:
            warn(f"the command {name!r} of {path} is not added: {e}")


def _load(path):
    """{name: SubCommand} the file registers; {} (and a warning) when it cannot be run."""
    from jugcore.config.trust import distrust, ignored_message

    reason = distrust(path)
    if reason:
        warn(ignored_message(path, reason, what="user commands file"))
        return {}
    from jugcore.builtin.jug2_subcommands import cmdapi

    before = set(cmdapi.commands())
    folder = os.path.dirname(path)
    if folder not in sys.path:  # Jug 2 puts it there: the file may import its neighbours
        sys.path.insert(0, folder)
    try:
        _import(path)
    except Exception as e:
        warn(f"the user commands file {path} failed to load ({type(e).__name__}: {e}); its commands are missing")
        return {}
    return {name: command for name, command in cmdapi.commands().items() if name not in before}


def _import(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("jug_user_commands", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["jug_user_commands"] = module
    spec.loader.exec_module(module)


def _click_command(command, path):
    import click

    from jugcore.builtin.jug2_subcommands import SubCommandError

    doc = (type(command).__doc__ or "").strip()
    if not doc:
        raise SubCommandError(f"{type(command).__name__} has no docstring (its first line is the command's help)")

    @click.command(command.name, help=doc.splitlines()[0], add_help_option=False,
                   context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    @click.pass_obj
    def run(app, args):
        sys.exit(_run(app, command, path, list(args)))

    return run


def _run(app, command, path, args):
    from jugcore.builtin.jug2_subcommands import Options, cmdapi
    from jugcore.face import expand_jugdir, init

    parsed = _parser(command).parse_args(args)
    configured = Options(cmdapi.default_options)
    configured.update(_configured(app))
    options = Options(configured)
    options.update({key: value for key, value in vars(parsed).items() if value is not None})
    options.subcommand = command.name
    options.jugdir = expand_jugdir(options.jugdir, options.jugfile)  # as Jug 2 hands it to run()
    sys.argv[:] = [options.jugfile, *options.user_args]
    store, jugspace = init(options.jugfile, options.jugdir)
    try:
        return command(options=options, store=store, jugspace=jugspace)
    except TypeError as e:
        if "unexpected keyword" not in str(e):
            raise
        raise JugError(f"{type(command).__name__}.run in {path} must accept options, store and jugspace "
                       f"(write it as run(self, *args, **kwargs)): {e}") from None
    finally:
        store.close()


def _configured(app):
    """The common options' values from the configuration ([main] of the jugrc files, JUG_*)."""
    values = {}
    for key in ("jugdir", "jugfile", "verbose", "debug", "pdb", "aggressive-unload", "short", "will-cite"):
        try:
            value = app.config.get(key)
        except JugError:  # not a setting of this installation
            continue
        if value is not None:
            values[key.replace("-", "_")] = value
    return values


def _parser(command):
    import argparse

    parser = argparse.ArgumentParser(prog=f"jug {command.name}", description=type(command).__doc__)
    command.parse(parser.add_argument_group(command.name))
    common = parser.add_argument_group("common")
    common.add_argument("jugfile", nargs="?")
    common.add_argument("user_args", nargs="*", default=[])
    common.add_argument("--jugdir")
    common.add_argument("--verbose")
    for flag in ("--aggressive-unload", "--short", "--pdb", "--debug", "--will-cite"):
        common.add_argument(flag, action="store_const", const=True)
    return parser
