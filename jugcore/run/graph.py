"""The unfinished tasks of one `jug execute` pass, as counts of unfinished dependencies.

Pure bookkeeping over task keys: it asks no store, runs nothing and keeps no
queue.  The worker tells it what completed or failed and is told, in return,
which keys became ready or blocked; what to run next, and in which order, is
the worker's business.
"""
from collections import Counter

__all__ = ["DependencyGraph"]


class DependencyGraph:
    def __init__(self, tasks, keys, done):
        """``tasks`` with their ``keys`` (same order); ``done``: keys known to have results."""
        self._task = {}  # key -> Task: this pass's tasks not yet completed
        self._names = {}
        self._pending = {}  # key -> unfinished dependencies, for this pass's unfinished tasks
        self._dependents = {}
        self._uses_left = Counter()  # key -> uses by this pass's tasks not yet completed
        self._inputs = {}  # key -> its dependencies (Tasks), for the tasks that have any
        self._outside = set()  # unfinished dependencies this pass does not run (not selected)
        self._dead = set()  # failed keys, and keys that can never finish here
        for t, key in zip(tasks, keys):
            if key not in done and key not in self._task:
                self._task[key] = t
                self._names[key] = t.name
        for key, t in self._task.items():
            self._pending[key] = self._add_dependencies(key, t, done)
        # task(key): the Task of ``key`` if it is one of this pass's tasks not yet
        # completed, else None.  The dict's own get: called for every task run.
        self.task = self._task.get

    def _add_dependencies(self, key, t, done):
        pending = 0
        seen = set()
        deps = list(t.dependencies())
        if deps:
            self._inputs[key] = deps  # walked again when ``key`` completes (release)
        for dep in deps:
            dep_key = dep.hash()
            self._uses_left[dep_key] += 1
            if dep_key in seen or dep_key in done:
                continue
            seen.add(dep_key)
            self._names.setdefault(dep_key, dep.name)
            pending += 1
            self._dependents.setdefault(dep_key, []).append(key)
            if dep_key not in self._task:
                self._outside.add(dep_key)
        return pending

    # --- questions ---------------------------------------------------------------
    def __len__(self):
        """How many of this pass's tasks are not completed yet."""
        return len(self._task)

    def name_of(self, key):
        return self._names.get(key, key.decode())

    def ready(self):
        """Keys of the tasks that wait for nothing and can still run, in the jugfile's order."""
        return [key for key, left in self._pending.items() if left == 0 and key not in self._dead]

    def outside(self):
        """Unfinished dependencies that are not tasks of this pass (read only)."""
        return self._outside

    # --- news ------------------------------------------------------------------------
    def complete(self, key):
        """``key`` has its result: the keys of the tasks that now wait for nothing."""
        self._pending.pop(key, None)
        self._outside.discard(key)
        ready = []
        for dependent in self._dependents.pop(key, ()):
            left = self._pending.get(dependent)
            if left is not None:
                left -= 1
                self._pending[dependent] = left
                if left == 0 and dependent not in self._dead:
                    ready.append(dependent)
        return ready

    def release(self, key):
        """``key`` completed: the Tasks whose results no unfinished task of this pass
        needs any more (its inputs, and itself when nothing here uses it)."""
        t = self._task.pop(key, None)
        if t is None:
            return []
        uses = self._uses_left
        unneeded = []
        for dep in self._inputs.pop(key, ()):
            dep_key = dep.hash()
            uses[dep_key] -= 1
            if uses[dep_key] <= 0:
                unneeded.append(dep)
        if uses[key] <= 0:
            unneeded.append(t)
        return unneeded

    def fail(self, key):
        """``key`` cannot finish: the keys of this pass's tasks now blocked (downstream of it)."""
        self._task.pop(key, None)
        self._outside.discard(key)
        blocked = []
        stack = [key]
        while stack:
            k = stack.pop()
            if k in self._dead:
                continue
            self._dead.add(k)
            if k != key and k in self._pending:
                blocked.append(k)
            stack.extend(self._dependents.get(k, ()))
        return blocked
