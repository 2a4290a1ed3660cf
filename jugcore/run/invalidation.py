"""Removing results, and with them every result computed from them.

A task's key names its inputs' keys, not their values: once an input is
recomputed, a result downstream of it would still be found under the same
key and loaded as if it were current.  So invalidating a task always removes
its dependents' results too.
"""
from collections import defaultdict

from jugcore.model.task import task_keys

__all__ = ["downstream", "remove_results"]


def downstream(tasks, roots):
    """``roots`` and every task of ``tasks`` that needs one of them, directly
    or not; each task once (by key), in the order of ``tasks`` (roots that are
    not in ``tasks`` first)."""
    keys = task_keys(tasks)
    dependents = defaultdict(list)
    for t in tasks:
        for dep in t.dependencies():
            dependents[dep.hash()].append(t)
    chosen = {t.hash(): t for t in roots}
    queue = list(chosen)
    while queue:
        for t in dependents.get(queue.pop(), ()):
            key = t.hash()
            if key not in chosen:
                chosen[key] = t
                queue.append(key)
    position = {}
    for key in keys:
        position.setdefault(key, len(position))
    return sorted(chosen.values(), key=lambda t: position.get(t.hash(), -1))


def remove_results(store, tasks, dry_run=False):
    """Remove the results of ``tasks`` (unloading them from memory); the tasks
    whose results existed, and so were (or, with ``dry_run``, would be) removed."""
    tasks = list(tasks)
    by_key = dict(zip(task_keys(tasks), tasks))
    existing = store.can_load_many(list(by_key))
    if not dry_run and existing:
        store.remove_many(existing)
        for key in existing:
            by_key[key].unload()
    return [t for key, t in by_key.items() if key in existing]
