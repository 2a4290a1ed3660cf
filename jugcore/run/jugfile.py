"""Importing a jugfile as a module, one pass at a time.

The module is named after the file (``primes.py`` is ``primes``) and sits in
``sys.modules`` even when a barrier stops the import half-way, so that
functions defined in it pickle by reference and task names match Jug 2.7's.
"""
import os
import sys
import types

from jugcore.model import task
from jugcore.model.barrier import BarrierError
from jugcore.errors import JugError

__all__ = ["module_name_for", "import_jugfile", "ImportedJugfile", "JugfileError"]


class JugfileError(JugError):
    """The jugfile is missing or raised while being imported."""


def module_name_for(path):
    base = os.path.basename(path)
    return base[:-3] if base.endswith(".py") else base


class ImportedJugfile:
    """What one import pass defined: the ``module``, its ``tasks`` in the order
    they were made, and whether a barrier stopped it (``at_barrier``).  It
    unpacks as ``module, at_barrier``, as commands written before it expect."""

    __slots__ = ("module", "tasks", "at_barrier")

    def __init__(self, module, tasks, at_barrier):
        self.module = module
        self.tasks = tasks
        self.at_barrier = at_barrier

    def __iter__(self):
        return iter((self.module, self.at_barrier))


def import_jugfile(path):
    """Run the jugfile from the top; returns an :class:`ImportedJugfile`.

    Jug 2's ``jug.task.alltasks`` is emptied first and then holds the tasks
    this pass defined (the same list as ``tasks``)."""
    if not os.path.isfile(path):
        where = os.path.abspath(path)
        raise JugfileError(
            f"jugfile '{path}' not found ({where} does not exist). "
            f"Name the jugfile as the first argument: jug {_command_name()} path/to/jugfile.py"
        )
    del task.alltasks[:]
    fullpath = os.path.abspath(path)
    _put_on_path(os.path.dirname(fullpath))
    name = module_name_for(path)
    module = types.ModuleType(name)
    module.__file__ = fullpath
    sys.modules[name] = module
    with open(path, "rb") as source:
        code = source.read()
    try:
        compiled = compile(code, path, "exec")
    except SyntaxError as e:
        raise JugfileError(_syntax_message(path, e)) from None
    try:
        exec(compiled, module.__dict__)
    except BarrierError:
        return ImportedJugfile(module, task.alltasks, True)
    except SystemExit:
        raise
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        from jugcore.run.failures import user_traceback  # not every command's to import

        raise JugfileError(
            f"the jugfile '{path}' raised {type(e).__name__} while being imported:\n"
            + user_traceback(e)
        ) from e
    return ImportedJugfile(module, task.alltasks, False)


def _put_on_path(folder):
    """Make the jugfile's imports work without letting a folder shadow our own code.

    ``jug`` (the package jugfiles import from) is imported first, so a ``jug/``
    folder beside the jugfile or in the current directory is never the one
    loaded.  Then, like ``python jugfile.py``, the jugfile's folder goes first;
    the current directory, which Jug 2.7 put first, goes last: a jugfile run
    from elsewhere still imports the modules there, and a file planted there
    (``json.py``) cannot stand in for an installed or standard module."""
    import jug  # noqa: F401

    if sys.path[:1] != [folder]:
        if folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.append(cwd)


def _command_name():
    import click

    ctx = click.get_current_context(silent=True)
    return ctx.info_name if ctx is not None and ctx.parent is not None else "execute"


def _syntax_message(path, e):
    where = f"line {e.lineno}" if e.lineno else "unknown line"
    shown = f"\n    {e.text.rstrip()}" if e.text else ""
    return f"syntax error in jugfile '{path}', {where}: {e.msg}{shown}"
