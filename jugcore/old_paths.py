"""Module paths from before the layer packages, kept working for plugins written
against them (``jugcore.store``, ``jugcore.encoding``, ...): importing one gives
the module at its new place, with a DeprecationWarning naming ``jugcore.api``.
The test helpers that were ``jugcore.testing`` are now the distribution
pytest-jug (``pytest_jug``): their old names work where it is installed, and
say what to install where it is not.

A finder on ``sys.meta_path`` answers for exactly these names, so no stub file
stands in the tree for each of them."""
import importlib
import sys
import warnings  # loaded with the interpreter: free
from importlib.machinery import ModuleSpec

__all__ = ["OLD_PATHS", "install"]

OLD_PATHS = {
    "jugcore.store": "jugcore.stores.contract",
    "jugcore.encoding": "jugcore.formats.encoding",
    "jugcore.failures": "jugcore.stores.failure_record",
    "jugcore.execution": "jugcore.run.scheduler",
    "jugcore.hashing": "jugcore.formats.hashing",
    "jugcore.task": "jugcore.model.task",
    "jugcore.hookspecs": "jugcore.plugins.hookspecs",
    "jugcore.session": "jugcore.face",
    "jugcore.invalidation": "jugcore.run.invalidation",
    "jugcore.commands": "jugcore.cli.commands",
    "jugcore.commands.common": "jugcore.cli.jugfile_command",
    # The names docs/plugins gave plugin authors; the rest of jugcore.testing was internal.
    "jugcore.testing": "pytest_jug",
    "jugcore.testing.contract": "pytest_jug.contract",
    "jugcore.testing.fixtures": "pytest_jug.plugin",
    "jugcore.testing.store_process": "pytest_jug.store_process",
    "jugcore.testing.redis_server": "pytest_jug.redis_server",
}

# New homes outside jugcore: package -> the distribution that installs it.
_DISTRIBUTIONS = {"pytest_jug": "pytest-jug"}
# Where "import it from there" would mislead.
_ADVICE = {"jugcore.testing.fixtures": "pytest-jug registers these fixtures itself: drop the import"}


class _OldPaths:
    """A finder and loader for the old names (not subclassing importlib.abc, whose
    import costs a command's start 8 ms)."""


    def __init__(self):
        self._own = {}  # old name -> (spec, loader) of the module at its new place, while importing

    def find_spec(self, fullname, path=None, target=None):
        if fullname in OLD_PATHS:
            return ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        new = OLD_PATHS[spec.name]
        module = _import(spec.name, new)
        warnings.warn(f"{spec.name} is now {new}; {_advice(spec.name, new)}", DeprecationWarning, stacklevel=2)
        self._own[spec.name] = (module.__spec__, module.__loader__)
        return module

    def exec_module(self, module):
        # Already loaded at its new place; the import machinery has just labelled
        # it with the old name's spec and loader: give it back its own.
        module.__spec__, module.__loader__ = self._own.pop(module.__spec__.name)


def _import(old, new):
    package = new.partition(".")[0]
    try:
        return importlib.import_module(new)
    except ModuleNotFoundError as e:
        if e.name != package or package not in _DISTRIBUTIONS:
            raise
        install_it = f"pip install {_DISTRIBUTIONS[package]}"
        raise ModuleNotFoundError(f"{old} is now {new}, in the distribution {_DISTRIBUTIONS[package]}: {install_it}",
                                  name=old) from None


def _advice(old, new):
    if old in _ADVICE:
        return _ADVICE[old]
    distribution = _DISTRIBUTIONS.get(new.partition(".")[0])
    return f"import it from there ({distribution})" if distribution else "plugins should import from jugcore.api"


def install():
    # First, not last: a checkout that had jugcore/testing/ (or jugcore/commands/)
    # keeps its untracked __pycache__ folder after the move, which the path finder
    # would import as an empty namespace package under the old name.  Every other
    # name costs this finder one dict lookup.
    if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OldPaths())
