"""``jug.jug``: init and is_jug_running (re-exported from jugcore.face), the
command line's entry points (jugcore.cli.main, loaded on first use: `import
jug` in a script does not load the command line) and jug_hook (jug.hooks)."""
import importlib

from jug import task  # noqa: F401
from jugcore.face import init, is_jug_running  # noqa: F401
from jugcore.model.barrier import BarrierError  # noqa: F401

_NAMES_FROM = {"main": ("jugcore.cli.main", "jug2_main"), "main_execute": ("jugcore.cli.main", "main_execute"),
               "jug_hook": ("jugcore.builtin.jug2_hooks", "jug_hook")}


def __getattr__(name):
    if name in _NAMES_FROM:
        module, attribute = _NAMES_FROM[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'jug.jug' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_NAMES_FROM))
