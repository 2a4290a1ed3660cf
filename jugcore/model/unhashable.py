"""The error for a task argument that cannot go into a task key (a lambda, an
open file, a generator): which task, which argument, its type, and the fix.

Hashing itself stays as it is (it is the hot path): when computing a key
fails, the task's arguments are hashed again one by one to find the culprit."""
import inspect
import types

from jugcore.errors import JugError
from jugcore.formats.hashing import hash_one

__all__ = ["UnhashableArgument", "unhashable_argument"]

_GENERAL_FIX = ("wrap it as NoHash(value) (jug.unsafe; left out of the key) or "
                "CustomHash(value, hash_function) (jug.utils; keyed by your function)")


class UnhashableArgument(JugError, TypeError):
    """A task's argument cannot be hashed into its key.  A TypeError, as what
    Jug 2.7 raised for most such values was."""

    __str__ = JugError.__str__


def unhashable_argument(task, error):
    """The UnhashableArgument for ``task``, whose key could not be computed
    because of ``error``; ``error`` itself when no single argument is to blame."""
    if isinstance(error, JugError):  # a task inside the arguments, already named
        return error
    for label, argument in _arguments(task):
        try:
            hash_one(argument)
        except JugError as inner:
            return inner
        except Exception as cause:
            return UnhashableArgument(
                f"task {task.name}: argument {label}, {_kind(argument)}, cannot be hashed into the "
                f"task's key: {_why_and_fix(argument, cause)}.")
    return error


def _arguments(task):
    """(label, value) of each argument: ``0 (f)``, ``x=``."""
    names = _parameter_names(task.f)
    for i, argument in enumerate(task.args):
        yield (f"{i} ({names[i]})" if i < len(names) else f"{i}"), argument
    for name, argument in task.kwargs.items():
        yield f"{name} (keyword)", argument


def _parameter_names(f):
    try:
        return [p.name for p in inspect.signature(f).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _kind(value):
    kind = type(value)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(value, types.FunctionType) and value.__name__ == "<lambda>":
        return f"a lambda ({name})"
    if isinstance(value, types.FunctionType) and "<locals>" in value.__qualname__:
        return f"a function defined inside another, {value.__qualname__} ({name})"
    return f"a {name}"


def _why_and_fix(value, cause):
    text = str(cause)
    if text.startswith("jug: "):  # hashing's own message says what to do
        return text[len("jug: "):].rstrip(".")
    return f"{type(cause).__name__}: {text}. Fix: {_fix(value)}"


def _fix(value):
    if isinstance(value, types.FunctionType):
        return "pass a function defined with `def` at the top level of a module, or " + _GENERAL_FIX
    if isinstance(value, types.GeneratorType):
        return "pass a list (list(...)) instead of a generator, or " + _GENERAL_FIX
    if hasattr(value, "read") or hasattr(value, "write"):
        return "pass the file's name and open it inside the task, or " + _GENERAL_FIX
    return _GENERAL_FIX
