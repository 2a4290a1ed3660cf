"""What kind of object each public name of the `jug` package is, as JSON on
stdout: ``{module: {name: kind}}``.  A script, run by the python whose `jug`
is to be described (Jug 2.7's venv, or ours), so it imports nothing of this
repository.

    python public_surface.py walk                # every public module of `jug`
    python public_surface.py describe < WALK     # the names of a walk's JSON, here

Public: modules and names without a leading underscore (Jug's own test suite,
``jug.tests``, is no API); a module's
``__all__`` when it has one, else the names it defines itself (imports from
outside `jug` are not its surface), its submodules, ``__version__`` and
upper-case constants.  Kinds: module, class, function, callable (an instance
with ``__call__``), value; "missing" and "error: ..." when describing."""
import importlib
import inspect
import json
import pkgutil
import sys
import types


def kind(obj):
    if isinstance(obj, types.ModuleType):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if inspect.isroutine(obj):
        return "function"
    return "callable" if callable(obj) else "value"


def _defined_in_jug(name, obj):
    if isinstance(obj, types.ModuleType):
        return obj.__name__.split(".")[0] == "jug"
    if name == "__version__" or (name.isupper() and isinstance(obj, (str, int, float, tuple))):
        return True
    return (getattr(obj, "__module__", None) or "").split(".")[0] == "jug"


def public_names(module):
    listed = getattr(module, "__all__", None)
    if listed is not None:
        names = list(listed) + (["__version__"] if hasattr(module, "__version__") else [])
        return {name: kind(getattr(module, name)) for name in names}
    return {name: kind(obj) for name, obj in vars(module).items()
            if (not name.startswith("_") or name == "__version__") and _defined_in_jug(name, obj)}


def walk():
    import jug

    modules = ["jug"] + [info.name for info in pkgutil.walk_packages(jug.__path__, "jug.")
                         if not any(part.startswith("_") or part == "tests" for part in info.name.split("."))]
    return {name: public_names(importlib.import_module(name)) for name in modules}


def describe(names):
    described = {}
    for module_name, members in names.items():
        try:
            module = importlib.import_module(module_name)
        except Exception as e:
            described[module_name] = {"__module__": f"error: {type(e).__name__}: {e}"}
            continue
        described[module_name] = {name: _describe_member(module, name) for name in members}
    return described


def _describe_member(module, name):
    try:
        return kind(getattr(module, name))
    except AttributeError as e:
        return "missing" if "has no attribute" in str(e) else f"error: {e}"
    except Exception as e:
        return f"error: {type(e).__name__}: {e}"


if __name__ == "__main__":
    json.dump(walk() if sys.argv[1:] == ["walk"] else describe(json.load(sys.stdin)), sys.stdout, indent=1)
