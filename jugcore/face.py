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


def jug2_store_names(module_name, names, scheme, declared_in=None):
    """``(__getattr__, __dir__)`` for a ``jug.backends`` module: each of Jug
    2.7's ``names`` in it is the object a store plugin declares for it
    (``StoreBackend.jug2_names``), looked up and imported on first use; none
    is named here.  ``scheme``: the jugdir scheme Jug served with them, for the
    install hint when no installed plugin declares a name; ``declared_in``: the
    module whose names these are, when Jug re-exported them (default: this one)."""
    declared_in = declared_in or module_name

    def __getattr__(name):
        if name not in names:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        from jugcore.plugins.missing import SCHEME_PROVIDERS, missing_because
        from jugcore.stores.contract import jug2_object

        pm = current_app().pm
        found = jug2_object(pm, f"{declared_in}.{name}")
        if found is None:
            provider = SCHEME_PROVIDERS.get(scheme)
            why = missing_because(pm, f"the '{scheme}:' store", provider)[1] if provider else "jug plugins lists them."
            raise AttributeError(f"{declared_in}.{name} is an object of the store plugin for '{scheme}:' jugdirs, "
                                 f"which is not enabled here. {why[:1].upper()}{why[1:]}")
        return found

    def __dir__():
        import sys

        return sorted(names | set(vars(sys.modules[module_name])))

    return __getattr__, __dir__


def select_store(jugdir):
    """Jug 2's ``jug.backends.select``: the store ``jugdir`` names, opened by the
    plugin that serves its scheme; anything but a string is taken as a store."""
    if not isinstance(jugdir, str):
        return jugdir
    return current_app().open_store(jugdir)


#: The paper that describes Jug (``jug.jug_version.CITATION``).
JUG_CITATION = ("Luis Pedro Coelho. Jug: Software for Parallel Reproducible Computation in Python. "
                "Journal of Open Research Software 5(1):30, 2017. https://doi.org/10.5334/jors.161")
