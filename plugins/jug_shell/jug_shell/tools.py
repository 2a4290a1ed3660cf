"""What `jug shell` adds to the jugfile's names, as plain functions over the
jugfile's tasks and the store (nothing here knows IPython)."""
from collections import Counter

from jugcore.api import FAILED, Task, Tasklet, downstream, remove_results, value

__all__ = ["ShellTools"]


class ShellTools:
    """The shell's namespace: the jugfile's names plus value, load_all,
    invalidate, get_tasks and get_filtered_tasks."""

    def __init__(self, module, store, tasks):
        self.store = store
        self.tasks = tasks
        self._jugfile_names = {k: v for k, v in vars(module).items() if not _dunder(k)}
        self.namespace = dict(self._jugfile_names)
        self.namespace.update(
            value=value, load_all=self.load_all, invalidate=self.invalidate,
            get_tasks=self.get_tasks, get_filtered_tasks=self.get_filtered_tasks,
        )

    def get_tasks(self):
        """Every task of the jugfile, in the order they were made (a new list)."""
        return list(self.tasks)

    def get_filtered_tasks(self, loadable=False, failed=False, available=False):
        """The tasks that match any flag asked for: ``loadable`` (a result is
        stored), ``failed`` (marked failed), ``available`` (no result, but every
        task it needs has one).  No flag, no tasks."""
        tasks = self.get_tasks()
        keys = [t.hash() for t in tasks]
        complete = self.store.can_load_many(keys) if loadable or available else set()
        failures = ({k for k, state in self.store.lock_state_many(keys).items() if state == FAILED}
                    if failed else set())

        def matches(t, key):
            if loadable and key in complete or failed and key in failures:
                return True
            return available and key not in complete and all(d.hash() in complete for d in t.dependencies())

        return [t for t, key in zip(tasks, keys) if matches(t, key)]

    def invalidate(self, tasks):
        """Remove the results of ``tasks`` (a task, or a list of them) and of
        every task that needs them, directly or not, as `jug invalidate` does."""
        roots = [_as_task(t) for t in (tasks if isinstance(tasks, (list, tuple, set)) else [tasks])]
        removed = remove_results(self.store, downstream(self.tasks, roots))
        if not removed:
            print("No results removed: neither these tasks nor those that need them have results.")
            return
        by_name = Counter(t.name for t in removed)
        print(f"Removed {len(removed)} result{'s' if len(removed) != 1 else ''}: "
              + ", ".join(f"{name} ({n})" for name, n in sorted(by_name.items())) + ".")

    def load_all(self):
        """Replace each of the jugfile's names by its value (tasks by their results);
        a name whose tasks are not all computed yet is left as it is, and said."""
        for name, original in self._jugfile_names.items():
            try:
                self.namespace[name] = value(original)
            except KeyError:
                print(f"{name}: not computed yet (left as tasks)")
            except Exception as e:
                print(f"{name}: cannot be loaded ({type(e).__name__}: {e})")


def _as_task(t):
    while isinstance(t, Tasklet):
        t = t.base
    if not isinstance(t, Task):
        raise TypeError(f"invalidate() takes a task or a list of tasks, not {type(t).__name__}")
    return t


def _dunder(name):
    return name.startswith("__") and name.endswith("__")
