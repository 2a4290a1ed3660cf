"""describe(): how a result was computed, as plain dicts and lists."""
from jugcore.model.jug_names import present_as
from jugcore.model.task import Task, Tasklet

__all__ = ["describe"]


def describe(t):
    """A task as ``{'name', 'args', 'kwargs', 'meta'}`` (empty ones left out), its
    arguments described the same way, recursively; a tasklet as
    ``{'name': 'tasklet', 'operation', 'base'}``.  ``meta`` is what the store
    knows of the result (the file store: computed, and when)."""
    if isinstance(t, Task):
        description = {"name": t.name}
        if t.args:
            description["args"] = [describe(a) for a in t.args]
        if t.kwargs:
            description["kwargs"] = {k: describe(v) for k, v in t.kwargs.items()}
        meta = t.store.metadata(t.hash())
        if meta is not None:
            description["meta"] = meta
        return description
    if isinstance(t, Tasklet):
        return {"name": "tasklet", "operation": repr(t.f), "base": describe(t.base)}
    if isinstance(t, list):
        return [describe(x) for x in t]
    if isinstance(t, tuple):
        return tuple(describe(x) for x in t)
    if isinstance(t, dict):
        return {k: describe(v) for k, v in t.items()}
    return t


present_as("jug.task", describe)
