"""Module paths from before the layer packages, kept working for plugins written
against them (``jugcore.store``, ``jugcore.encoding``, ...): importing one gives
the module at its new place, with a DeprecationWarning naming ``jugcore.api``.

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
}


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
        warnings.warn(f"{spec.name} is now {new}; plugins should import from jugcore.api",
                      DeprecationWarning, stacklevel=2)
        module = importlib.import_module(new)
        self._own[spec.name] = (module.__spec__, module.__loader__)
        return module

    def exec_module(self, module):
        # Already loaded at its new place; the import machinery has just labelled
        # it with the old name's spec and loader: give it back its own.
        module.__spec__, module.__loader__ = self._own.pop(module.__spec__.name)


def install():
    if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
        sys.meta_path.append(_OldPaths())
