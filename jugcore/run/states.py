"""Where each task of a jugfile stands, answered with bulk store queries.

One listing of results and one of locks, whatever the number of tasks: this
is what `jug status`, `jug check` and `jug sleep-until` are built on.
"""
from collections import Counter

from jugcore.stores.contract import DEAD, FAILED
from jugcore.model.task import iter_task_keys, task_name

__all__ = ["StatusCounts", "count_states", "missing_tasks", "STATES"]

STATES = ("Failed", "Waiting", "Ready", "Complete", "Active")


class StatusCounts:
    """Counts per state and task name, and what `jug status` shows beyond them."""

    def __init__(self, tasks=None):
        self.by_state = {state: Counter() for state in STATES}
        self.tasks = tasks if tasks is not None else {}  # key -> Task, every task once
        self.locks = {}  # key -> LockInfo, for tasks without a result
        self.blocked_by = {}  # key of a waiting task -> key of a failed task it needs

    def total(self, state):
        return sum(self.by_state[state].values())

    @property
    def all_complete(self):
        return all(self.total(s) == 0 for s in STATES if s != "Complete")

    def keys_in(self, lock_state):
        return [k for k, info in self.locks.items() if info.state == lock_state]


def _unique_and_complete(tasks, store, repeats=None):
    """({key: task} in the order keys first appear, the set of those keys with
    results).  A call made twice is one task to run; ``repeats`` (a Counter),
    if given, counts the creations after the first of each key.  The keys reach
    the store as they are hashed, so that a store with a server can count the
    first ones while the rest are being hashed."""
    by_key = {}

    def unique_keys():
        for key, t in zip(iter_task_keys(tasks), tasks):
            if key not in by_key:
                by_key[key] = t
                yield key
            elif repeats is not None:
                repeats[key] += 1

    keys = unique_keys()
    complete = store.can_load_many(keys)
    if next(keys, None) is not None:
        raise RuntimeError(f"{store!r}.can_load_many did not read all the keys it was given")
    return by_key, complete


def count_states(tasks, store):
    """Failed / Waiting / Ready / Complete / Active counts per task name, and
    the locks behind Failed and Active.  A task the jugfile created twice (the
    same call) counts twice, as Jug 2.7 and `jug count` count it."""
    repeats = Counter()
    by_key, complete = _unique_and_complete(tasks, store, repeats)
    all_done = len(complete) == len(by_key)  # the common case of a finished run: no loop in Python
    incomplete = [] if all_done else [k for k in by_key if k not in complete]
    counts = StatusCounts(tasks=by_key)
    infos = store.lock_info_many(incomplete) if incomplete else {}
    # In the jugfile's order (stores answer in any order): `jug status --failed` lists them so
    counts.locks = {k: infos[k] for k in incomplete if k in infos} if infos else {}
    finished = by_key.values() if all_done else map(by_key.__getitem__, complete)
    counts.by_state["Complete"].update(map(task_name, finished))
    for key in incomplete:
        t = by_key[key]
        info = counts.locks.get(key)
        if info is not None and info.state != DEAD:  # a dead holder's task is free to take
            state = "Failed" if info.state == FAILED else "Active"
        elif all(dep.hash() in complete for dep in t.dependencies()):
            state = "Ready"
        else:
            state = "Waiting"
        counts.by_state[state][t.name] += 1 + repeats[key] if repeats else 1
    for key in complete.intersection(repeats) if repeats else ():
        counts.by_state["Complete"][by_key[key].name] += repeats[key]
    if counts.total("Failed"):
        counts.blocked_by = _blocked_by(by_key, incomplete, set(counts.keys_in(FAILED)))
    return counts


def _blocked_by(by_key, incomplete, failed):
    """{key: failed key} for tasks that need a failed task, directly or not.
    Keys are in creation order, which puts every task after those it needs."""
    blocked = {}
    for key in incomplete:
        for dep in by_key[key].dependencies():
            dep_key = dep.hash()
            cause = dep_key if dep_key in failed else blocked.get(dep_key)
            if cause is not None:
                blocked[key] = cause
                break
    return blocked


def missing_tasks(tasks, store):
    """Tasks without results that no complete later task makes unnecessary
    (a result that exists stands for everything upstream of it)."""
    by_key, complete = _unique_and_complete(tasks, store)
    if len(complete) == len(by_key):
        return []
    covered = set()
    missing = []
    for key, t in reversed(list(by_key.items())):
        if key in covered:
            continue
        if key not in complete:
            missing.append(t)
            continue
        stack = list(t.dependencies())
        while stack:
            dep = stack.pop()
            dep_key = dep.hash()
            if dep_key not in covered:
                covered.add(dep_key)
                stack.extend(dep.dependencies())
    return missing

