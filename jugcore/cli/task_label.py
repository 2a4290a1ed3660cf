"""A task named the way its jugfile wrote it: ``mr.fragile(x=17)``.

Arguments are bound to the function's parameter names where its signature
can be read, and shown as short reprs; an argument that is itself a task (or
holds tasks) shows as that task's name and key prefix, never its value, so
naming a task loads nothing from the store.
"""
import reprlib

__all__ = ["task_label", "short_repr", "named_arguments"]

_SHORT = reprlib.Repr()
_SHORT.maxstring = 40
_SHORT.maxother = 40
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 4
_SHORT.maxlevel = 2
_MAX_LABEL = 160


def task_label(t) -> str:
    """``name(arg=short repr, ...)`` for a Task; a task of another kind, its name."""
    if getattr(t, "args", None) is None or getattr(t, "kwargs", None) is None:
        return t.name
    named = named_arguments(t)
    parts = [short_repr(v) if k is None else f"{k}={short_repr(v)}" for k, v in named]
    label = f"{t.name}({', '.join(parts)})"
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 4] + "...)"


def short_repr(value) -> str:
    if _is_task(value):
        return f"{value.name}[{value.hash().decode()[:8]}]"
    if isinstance(value, (list, tuple)) and any(map(_is_task, value)):
        inner = ", ".join(short_repr(v) for v in value[:_SHORT.maxlist])
        more = ", ..." if len(value) > _SHORT.maxlist else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    try:
        return _SHORT.repr(value)
    except Exception:  # a user's __repr__ that raises must not stop `jug status`
        return f"<{type(value).__name__}>"


def _is_task(value):
    return hasattr(value, "hash") and hasattr(value, "dependencies") and hasattr(value, "name")


def named_arguments(t):
    """[(parameter name or None, value)] of a Task: positional arguments named
    when the signature says which parameter each fills."""
    import inspect  # only commands that name tasks pay for it

    f, args, kwargs = t.f, getattr(t, "args", ()), getattr(t, "kwargs", {})

    try:
        bound = inspect.signature(f).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return [(None, a) for a in args] + list(kwargs.items())
    named = []
    for name, value in bound.arguments.items():
        kind = bound.signature.parameters[name].kind
        if kind == inspect.Parameter.VAR_POSITIONAL:
            named.extend((None, v) for v in value)
        elif kind == inspect.Parameter.VAR_KEYWORD:
            named.extend(value.items())
        else:
            named.append((name, value))
    return named
