"""The state Jug 2's API keeps in globals, in one place: ``Task.store`` (which
``value(task)`` and ``task.result`` read), whether `jug` is running, and
``init()`` / ``set_jugdir()`` for scripts and notebooks.  Everything else
hands the app and its store along; this module fills the globals from them."""
import os
from datetime import datetime  # loaded with click

from jugcore.app import current_app
from jugcore.errors import JugError
from jugcore.model import task
from jugcore.run.jugfile import import_jugfile, module_name_for

__all__ = ["init", "set_jugdir", "use_store", "is_jug_running", "default_jugdir", "expand_jugdir"]

_jug_running = False


def is_jug_running():
    """True inside a `jug` command, False when the jugfile runs as a plain script."""
    return _jug_running


def mark_jug_running():
    global _jug_running
    _jug_running = True


def expand_jugdir(jugdir, jugfile):
    """Fill in ``%(jugfile)s`` (the jugfile's name without .py) and ``%(date)s``."""
    if "%(" not in jugdir:
        return jugdir
    stem = os.path.join(os.path.dirname(jugfile), module_name_for(jugfile))
    fields = {"jugfile": stem, "date": datetime.now().strftime("%Y-%m-%d")}
    try:
        return jugdir % fields
    except KeyError as e:
        problem = f"has an unknown field %({e.args[0]})s"
    except ValueError as e:  # '%(jugfile)' cut short, a lone '%'
        problem = f"is not a valid template ({e}; write a literal % as %%)"
    except TypeError as e:  # '%(date)d'
        problem = f"is not a valid template ({e})"
    known = ", ".join(f"%({name})s" for name in fields)
    raise JugError(f"the jugdir '{jugdir}' {problem}; the known fields are {known} "
                   "(`jug config` shows where the jugdir was set)", exit_code=2)


def default_jugdir():
    return "%(jugfile)s.jugdata"


def use_store(store):
    """Make ``store`` the one every Task loads from and saves to (Jug 2's ``Task.store``)."""
    task.Task.store = store
    return store


def set_jugdir(jugdir):
    """Open the store named by ``jugdir`` (or use a store object) for every Task; returns it."""
    if jugdir is None:
        jugdir = "jugdata"
    return use_store(current_app().open_store(jugdir) if isinstance(jugdir, str) else jugdir)


def init(jugfile=None, jugdir=None, on_error="exit", store=None):
    """Import ``jugfile`` with its results in ``jugdir``; returns (store, namespace).

    ``on_error='propagate'`` re-raises an error from the jugfile instead of exiting."""
    jugfile = jugfile or "jugfile.py"
    if store is None:
        store = set_jugdir(expand_jugdir(jugdir, jugfile) if jugdir else jugdir)
    else:
        use_store(store)
    try:
        imported = import_jugfile(jugfile)
    except JugError as e:
        if on_error != "exit":
            raise
        e.show()
        raise SystemExit(e.exit_code)
    namespace = imported.module.__dict__
    if imported.at_barrier:  # Jug 2's mark, which scripts test to call init() again
        namespace["__jug__hasbarrier__"] = True
    return task.Task.store, namespace
