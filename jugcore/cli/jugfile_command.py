"""What every command that reads a jugfile shares: its options and its context.

Third-party commands use ``jugfile_command`` too, so `--jugdir`, `--verbose`
and the jugfile argument mean the same everywhere.
"""
import contextlib
import functools
import gc
import inspect
import os
import sys

import click

from jugcore.cli.completion import complete_jugfile
from jugcore.face import default_jugdir, expand_jugdir, use_store
from jugcore.run.jugfile import import_jugfile

__all__ = ["jugfile_command", "jug2_common_options", "JugfileContext", "BARRIER_NOTE"]

# What commands that count tasks add when the jugfile stopped at a barrier.
BARRIER_NOTE = "(The jugfile stops at a barrier: tasks defined after it are not counted yet.)"


class JugfileContext:
    """The jugfile, its store and the shared options of one command invocation."""

    def __init__(self, app, jugfile, jugdir, verbose, debug, pdb, aggressive_unload, user_args):
        self.app = app
        self.pm = app.pm
        self.jugfile = jugfile
        self.jugdir = expand_jugdir(jugdir or default_jugdir(), jugfile)
        self.verbose = verbose
        self.debug = debug or pdb
        self.pdb = pdb
        self.aggressive_unload = aggressive_unload
        self.user_args = list(user_args)
        self.store = None
        self.tasks = []  # the tasks the latest import of the jugfile defined, in order

    @property
    def jugfile_dir(self):
        return os.path.dirname(os.path.abspath(self.jugfile))

    def open_store(self):
        """Open the jugdir's store (once) and make it every Task's store (the
        jugfile's ``value()`` calls read it)."""
        if self.store is None:
            self.store = use_store(self.app.open_store(self.jugdir))
        return self.store

    def import_jugfile(self):
        """One import pass: a :class:`~jugcore.run.jugfile.ImportedJugfile`
        (``module``, ``tasks``, ``at_barrier``; it unpacks as ``module,
        at_barrier``).  The jugfile sees ``sys.argv == [jugfile, *user_args]``."""
        self.open_store()
        sys.argv[:] = [self.jugfile, *self.user_args]
        with _long_lived_allocations():
            imported = import_jugfile(self.jugfile)
        self.tasks = imported.tasks
        return imported

    def close(self):
        if self.store is not None:
            self.store.close()
            self.store = None


@contextlib.contextmanager
def _long_lived_allocations():
    """A jugfile creates up to millions of objects that live until the command
    ends; the cyclic garbage collector would scan them again and again (a
    quarter of the import time).  Collect rarely while importing, then move
    them out of the collector's sight.  The previous pass's objects are handed
    back first, so that a re-imported jugfile's old module can be freed."""
    gc.unfreeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 100_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.freeze()


class SharedOption(click.Option):
    """An option every jugfile command has: configured in [main] (``jugdir = ...``)."""

    jug_main = True


class SharedArgument(click.Argument):
    """The JUGFILE argument: ``jugfile = ...`` in [main] names the default jugfile."""

    jug_main = True


class JugfilePath(click.ParamType):
    """The jugfile's path: any string but a directory's.  (click.Path looks up
    message translations when built: a few ms of every command's start.)"""

    name = "jugfile"

    def convert(self, value, param, ctx):
        if os.path.isdir(value):
            self.fail(f"'{value}' is a directory; name the jugfile in it (for example {value}/jugfile.py)",
                      param, ctx)
        return value


class LogLevel(click.ParamType):
    """info, debug, warning, ...; ``quiet`` (Jug 2's jugrc default) means none."""

    name = "log level"

    def convert(self, value, param, ctx):
        if value is None or value.lower() in ("", "quiet"):
            return None
        import logging  # 3 ms: only a --verbose value is checked with it

        if not isinstance(logging.getLevelName(value.upper()), int):
            self.fail(f"{value!r} is not a log level; use info or debug (or warning, error, quiet)", param, ctx)
        return value.lower()


def _configure_logging(verbose):
    if verbose:
        from jugcore.logs import configure  # logging's import is not every command's to pay

        configure(verbose)


def shared_option(*declarations, **kwargs):
    return click.option(*declarations, cls=SharedOption, **kwargs)


# Jug 2's options that every subcommand took: (name, is_flag).
_JUG2_COMMON = (("--jugdir", False), ("--verbose", False), ("--short", True), ("--pdb", True), ("--debug", True),
                ("--aggressive-unload", True), ("--will-cite", True))


def jug2_common_options(command):
    """Decorator for a command that reads no jugfile (`jug demo`): Jug 2's common
    options that it lacks, accepted and ignored (hidden), as every Jug 2
    subcommand accepted them."""
    have = {o for p in command.params for o in p.opts}
    for name, is_flag in _JUG2_COMMON:
        if name not in have:
            command.params.append(SharedOption([name], is_flag=is_flag, hidden=True, expose_value=False,
                                               help="Accepted for Jug 2 compatibility; this command reads no jugfile."))
    return command


def _unless(condition, decorator):
    return (lambda f: f) if condition else decorator


def jugfile_command(name, **command_kwargs):
    """Decorator: a click command that takes JUGFILE [ARGS]... and the common
    options, and calls ``f(ctx: JugfileContext, **its own options)``."""

    def decorate(f):
        own_short = "short" in inspect.signature(f).parameters

        @click.command(name, **command_kwargs)
        @click.argument("jugfile", default="jugfile.py", required=False, type=JugfilePath(),
                        cls=SharedArgument, shell_complete=complete_jugfile)
        @click.argument("user_args", nargs=-1, type=click.UNPROCESSED)
        @shared_option("--jugdir", metavar="JUGDIR", default=default_jugdir(),
                       help="Where results live: a path (default %(jugfile)s.jugdata) or a URL such as "
                            "dict_store or redis://host/0. %(jugfile)s and %(date)s are filled in.")
        @shared_option("--verbose", is_flag=False, flag_value="info", default=None, metavar="[LEVEL]", type=LogLevel(),
                       help="Log what happens (info, or debug); with errors, show full tracebacks.")
        @shared_option("--debug", is_flag=True, help="Check that tasks do not modify their inputs.")
        @shared_option("--pdb", is_flag=True, help="Open the debugger where a task fails (implies --debug).")
        @shared_option("--aggressive-unload", is_flag=True,
                       help="Drop each result from memory as soon as it is stored.")
        @shared_option("--will-cite", is_flag=True, hidden=True, help="Accepted for Jug 2 compatibility.")
        @_unless(own_short, shared_option("--short", is_flag=True, hidden=True,
                                          help="Accepted for Jug 2 compatibility (its common short output)."))
        @click.pass_context
        @functools.wraps(f)
        def command(click_ctx, jugfile, user_args, jugdir, verbose, debug, pdb, aggressive_unload,
                    will_cite, **options):
            if not own_short:
                options.pop("short")
            _configure_logging(verbose)
            ctx = JugfileContext(click_ctx.obj, jugfile, jugdir, verbose, debug, pdb, aggressive_unload,
                                 user_args)
            click_ctx.call_on_close(ctx.close)
            return f(ctx, **options)

        return command

    return decorate
