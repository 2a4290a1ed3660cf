"""The scheduler behind `jug execute`: run every task whose inputs are ready.

One worker, one store.  Workers (here or on other machines) coordinate only
through the store's locks.  A pass works on the tasks one import of the
jugfile defined:

1. hash them and ask the store, in one bulk query, which are done;
2. count each remaining task's unfinished dependencies; those at zero are ready;
3. lock -> check again -> run -> store -> unlock, releasing dependents as
   their counts reach zero;
4. when nothing is ready but other workers hold tasks we wait for, poll the
   store with back-off (not a fixed sleep) until they finish, fail or give up.

A task whose dependency failed is blocked; a worker left with only blocked
tasks says so and stops instead of waiting for a result that cannot come.
A task whose lease we lost while running it (the store refused its result
with LeaseLost) is counted apart and left to the worker that took it over.
No click here: commands turn the outcome into output and exit codes.
"""
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Callable, Optional

from jugcore.errors import LeaseLost, StoreWriteError, is_store_environment_error
from jugcore.stores.failure_record import FailureRecord, error_message
from jugcore.run.jugfile import user_traceback
from jugcore.plugins import direct_caller
from jugcore.stores.contract import FAILED
from jugcore.model.task import alltasks, task_keys, task_name

__all__ = ["ExecuteOptions", "RunSummary", "WorkerState", "Worker", "TaskFailure", "LostLease"]

_FIRST_BACKOFF = 0.02
_REFRESH_AFTER = 8


@dataclass
class ExecuteOptions:
    keep_going: bool = False
    keep_failed: bool = False
    wait_cycle_time: float = 12.0
    nr_wait_cycles: int = 150
    aggressive_unload: bool = False
    debug: bool = False
    pdb: bool = False
    select: Optional[Callable[[str], bool]] = None
    worker_index: int = 0  # with -j N: this worker's number, 0 .. N-1
    worker_count: int = 1
    check_environment: bool = True  # honour the stop file and JUG_MAX_* limits
    # Epoch seconds this run began (with -j N, when the parent started): failures
    # recorded before it are retried (unless kept by --keep-failed), later ones are not.
    run_started: float = field(default_factory=time.time)

    @property
    def wait_budget(self):
        """Seconds to wait for other workers without any progress before giving up."""
        return self.wait_cycle_time * self.nr_wait_cycles


@dataclass
class TaskFailure:
    name: str
    key: str
    error: BaseException
    saving: bool = False  # the task ran, but its result could not be stored

    def headline(self):
        what = "its result could not be stored" if self.saving else "it raised"
        return f"task {self.name} failed ({what}): {type(self.error).__name__}: {error_message(self.error)}"

    def record(self, kept=False):
        """What the store keeps about this failure."""
        return FailureRecord.from_exception(self.error, user_traceback(self.error, verbose=False), kept)


@dataclass
class LostLease:
    """A task that ran here, but whose lease lapsed and was taken over by ``holder``
    (``HOST:PID``, or "" if unknown) before its result could be stored."""

    name: str
    key: str
    holder: str = ""

    def headline(self):
        return (f"lease lost: task {self.name} was taken over by {self.holder or 'another worker'}; "
                "our result was discarded")


@dataclass
class RunSummary:
    executed: Counter = field(default_factory=Counter)
    loaded: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    blocked: dict = field(default_factory=dict)  # key -> name of tasks waiting on failed tasks
    failed_elsewhere: dict = field(default_factory=dict)  # key -> name: failed in another worker, or kept
    stopped: Optional[str] = None  # why a stop policy ended the run
    gave_up_waiting: int = 0  # tasks other workers still held when the wait budget ran out
    missing_inputs: set = field(default_factory=set)  # unselected tasks others need, with no result
    barrier_unmet: Optional[str] = None
    # LostLease of tasks that ran here but were taken over: not executed, and not
    # a failure either (their results come from the workers that took them over).
    lease_lost: list = field(default_factory=list)

    @property
    def ok(self):
        return not (
            self.failures or self.blocked or self.failed_elsewhere or self.missing_inputs or self.barrier_unmet
        )


@dataclass
class WorkerState:
    """What stop policies see (``jug_should_stop``)."""

    executed: int
    started: float  # time.monotonic() when the worker started
    jugfile_dir: str
    store: object
    check_environment: bool = True  # False under --no-check-environment


class _Stop(Exception):
    pass


class Worker:
    def __init__(self, store, pm, options, jugfile_dir=".", where=None):
        self.store = store
        self.where = where or repr(store)  # the jugdir, as error messages name it
        self.options = options
        self.summary = RunSummary()
        self.state = WorkerState(0, time.monotonic(), jugfile_dir, store, options.check_environment)
        self.done = set()  # keys known to have results
        self.failed = set()  # keys that failed here, or are marked failed in the store
        self._counted = set()  # keys already in the executed/loaded columns
        self._should_stop = direct_caller(pm, "jug_should_stop", firstresult=True)
        callers = {name: direct_caller(pm, name) for name in
                   ("jug_tasks_skipped", "jug_task_started", "jug_task_finished", "jug_task_failed")}
        self._notify = {name: call for name, call in callers.items() if call is not None}
        self._skipped = []  # loaded tasks not yet reported to jug_tasks_skipped

    # --- one pass over the tasks one import defined -----------------------------
    def run_pass(self, tasks):
        """Run what can be run; returns False if the run must end (failure or stop)."""
        if self.options.select is not None:
            tasks = [t for t in tasks if self.options.select(t.name)]
        graph = _Graph(tasks, self)
        self.flush_skipped()
        try:
            self._drain(graph)
        except _Stop:
            return False
        self._report_blocked(graph)
        return True

    def _drain(self, graph):
        ready, elsewhere = graph.ready, set()
        deadline = time.monotonic() + self.options.wait_budget
        backoff = _FIRST_BACKOFF
        found_done = 0  # tasks in a row that another worker had finished
        while True:
            if ready:
                if found_done >= _REFRESH_AFTER:
                    self._drop_finished(graph)
                    found_done = 0
                    continue
                self.store.prepare_locks(ready)
                key = ready.popleft()
                self._check_stop()
                outcome = self._attempt(graph.task_of[key])
                if outcome == "busy":
                    elsewhere.add(key)
                    continue
                if outcome == "failed elsewhere":  # as when _poll finds it: block what needs it
                    graph.fail(key)
                    continue
                if outcome == "failed":
                    graph.fail(key)
                    if not self.options.keep_going:
                        raise _Stop
                    continue
                if outcome == "loaded":
                    self.flush_skipped()
                    found_done += 1
                else:
                    found_done = 0
                graph.complete(key)
                deadline, backoff = time.monotonic() + self.options.wait_budget, _FIRST_BACKOFF
                continue
            elsewhere.update(k for k in graph.external if k not in self.done)
            if not elsewhere:
                return
            if time.monotonic() >= deadline:
                self.summary.gave_up_waiting = len(elsewhere)
                return
            time.sleep(backoff)
            backoff = min(backoff * 1.5, max(self.options.wait_cycle_time, _FIRST_BACKOFF))
            moved = self._poll(graph, elsewhere)
            self.flush_skipped()
            if moved:
                deadline, backoff = time.monotonic() + self.options.wait_budget, _FIRST_BACKOFF

    def _drop_finished(self, graph):
        """We keep finding tasks another worker finished: ask the store, in one
        query, which of the ready tasks are done, rather than lock each one."""
        finished = self.store.can_load_many(list(graph.ready))
        if finished:
            self.done.update(finished)
            self._count_loaded([graph.task_of[k] for k in finished])
            self.flush_skipped()
            remaining = [k for k in graph.ready if k not in finished]
            graph.ready.clear()
            graph.ready.extend(remaining)
            for key in finished:
                graph.complete(key)

    def _poll(self, graph, elsewhere):
        """Look again at tasks others hold; True if anything moved."""
        finished = self.store.can_load_many(list(elsewhere))
        for key in finished:
            elsewhere.discard(key)
            self.done.add(key)
            if key in graph.task_of:
                self._count_loaded([graph.task_of[key]])
            graph.complete(key)
        states = self.store.lock_state_many(list(elsewhere))
        moved = bool(finished)
        for key in list(elsewhere):
            state = states.get(key)
            if state == FAILED:
                elsewhere.discard(key)
                self.failed.add(key)
                graph.fail(key)
                self.summary.failed_elsewhere[key.decode()] = graph.name_of(key)
                moved = True
            elif state is None:
                elsewhere.discard(key)
                if key in graph.task_of:  # released without a result: try it ourselves
                    graph.ready.append(key)
                else:
                    graph.orphan(key)
                moved = True
        return moved

    def _check_stop(self):
        if self._should_stop is not None:
            self.state.executed = sum(self.summary.executed.values())
            reason = self._should_stop(state=self.state)
            if reason:
                self.summary.stopped = reason
                raise _Stop

    # --- one task ----------------------------------------------------------------
    def _attempt(self, t):
        key = t.hash()
        lock = self.store.getlock(key)
        if not self._locking(t, lock.get):
            if self.store.can_load(key):
                self._loaded(t)
                return "loaded"
            if not self._locking(t, lock.take_failed, self.options.run_started):
                if lock.is_failed():
                    self.summary.failed_elsewhere[key.decode()] = t.name
                    self.failed.add(key)
                    return "failed elsewhere"
                return "busy"
        keep_lock = False
        try:
            if self.store.can_load(key):  # finished by another worker since we listed
                self._loaded(t)
                return "loaded"
            try:
                failure = self._run(t, key)
            except LeaseLost as lost:
                self.summary.lease_lost.append(LostLease(t.name, key.decode(), lost.holder))
                return "busy"  # the worker that took it over finishes it; we wait for that
            if failure is None:
                return "ran"
            self.failed.add(key)
            self.summary.failures.append(failure)
            if "jug_task_failed" in self._notify:
                self._notify["jug_task_failed"](task=t, error=failure.error)
            # Kept in the store, so every process sees it; the next run retries it
            # (unless --keep-failed), workers running now do not.
            keep_lock = lock.fail(failure.record(kept=self.options.keep_failed))
            return "failed"
        finally:
            if not keep_lock:
                lock.release()

    def _locking(self, t, take, *args):
        """``take(*args)``, which takes ``t``'s lock; a store that cannot be written
        (full, read-only) ends the run with one clear error, not a traceback."""
        try:
            return take(*args)
        except OSError as e:
            raise StoreWriteError(e, f"taking the lock of {t.name}", self.where) from None

    def _run(self, t, key):
        notify = self._notify
        if "jug_task_started" in notify:
            notify["jug_task_started"](task=t)
        debug = self.options.debug
        created_before = len(alltasks)
        started = time.perf_counter()
        try:
            if debug:
                t._check_hash()
            result = t.compute()
            if debug:
                t._check_hash()
                if len(alltasks) != created_before:
                    raise RuntimeError(
                        f"task {t.name} created new tasks while running; tasks must be created "
                        "in the jugfile (or use a CompoundTask)"
                    )
        except Exception as e:
            self._maybe_debug(e)
            return TaskFailure(t.name, key.decode(), e)
        try:
            self.store.dump(key, result)
        except LeaseLost:
            raise
        except Exception as e:
            if is_store_environment_error(e):  # no task's fault: end the run, mark nothing failed
                raise StoreWriteError(e, f"storing the result of {t.name}", self.where) from None
            self._maybe_debug(e)
            return TaskFailure(t.name, key.decode(), e, saving=True)
        seconds = time.perf_counter() - started
        t._result = result
        self.done.add(key)
        self._counted.add(key)
        self.summary.executed[t.name] += 1
        if "jug_task_finished" in notify:
            notify["jug_task_finished"](task=t, seconds=seconds)
        return None

    def _maybe_debug(self, error):
        if self.options.pdb:
            import pdb

            pdb.post_mortem(error.__traceback__)

    def _loaded(self, t):
        self.done.add(t.hash())
        self._count_loaded([t])

    def _count_loaded(self, tasks):
        """Count found-complete tasks in the Loaded column, each key once per run."""
        self._count_loaded_keys({t.hash(): t for t in tasks})

    def _count_loaded_keys(self, by_key):
        counted = self._counted
        fresh = {k: t for k, t in by_key.items() if k not in counted} if counted else by_key
        if fresh:
            counted.update(fresh)
            self.summary.loaded.update(map(task_name, fresh.values()))
            self._skipped.extend(fresh.values())

    def flush_skipped(self):
        """Report the tasks found loaded since the last call, in one hook call."""
        if self._skipped and "jug_tasks_skipped" in self._notify:
            self._notify["jug_tasks_skipped"](tasks=self._skipped)
        self._skipped = []

    def _report_blocked(self, graph):
        for key in graph.blocked_keys():
            self.summary.blocked[key.decode()] = graph.name_of(key)


class _Graph:
    """The unfinished tasks of one pass, as counts of unfinished dependencies."""

    def __init__(self, tasks, worker):
        self.worker = worker
        self.task_of = {}
        self.names = {}
        self.waiting_on = {}
        self.dependents = {}
        self.uses_left = Counter()
        self.external = set()  # unfinished dependencies this pass does not run (not selected)
        self.dead = set()  # failed keys, and keys that can never finish here
        self.ready = deque()
        done = worker.done
        keys = task_keys(tasks)
        failed = worker.failed
        # A list in the jugfile's order, not a set: stores may remember the answer for it.
        unknown = [k for k in dict.fromkeys(keys) if k not in done and k not in failed]
        if unknown:
            done.update(worker.store.can_load_many(unknown))
        loaded = {}
        task_of = self.task_of
        for t, key in zip(tasks, keys):
            if key in done:
                loaded[key] = t
            elif key not in task_of:
                task_of[key] = t
                self.names[key] = t.name
        worker._count_loaded_keys(loaded)
        for key, t in self.task_of.items():
            self._add(key, t, done)
        for key in self.task_of:
            if key in worker.failed:
                self.fail(key)
            elif self.waiting_on[key] == 0:
                self.ready.append(key)
        options = worker.options
        if options.worker_count > 1:
            # Sibling workers start at different points of the ready list
            # instead of racing for the same locks in the same order.
            self.ready.rotate(-(len(self.ready) * options.worker_index // options.worker_count))

    def _add(self, key, t, done):
        pending = 0
        seen = set()
        for dep in t.dependencies():
            dep_key = dep.hash()
            self.uses_left[dep_key] += 1
            if dep_key in seen or dep_key in done:
                continue
            seen.add(dep_key)
            self.names.setdefault(dep_key, dep.name)
            pending += 1
            self.dependents.setdefault(dep_key, []).append(key)
            if dep_key not in self.task_of:
                self.external.add(dep_key)
        self.waiting_on[key] = pending

    def name_of(self, key):
        return self.names.get(key, key.decode())

    def complete(self, key):
        """``key`` has its result: release what waited on it, drop what no one needs."""
        t = self.task_of.pop(key, None)
        self.waiting_on.pop(key, None)
        self.external.discard(key)
        ready = self.ready
        for dependent in self.dependents.pop(key, ()):
            left = self.waiting_on.get(dependent)
            if left is not None:
                left -= 1
                self.waiting_on[dependent] = left
                if left == 0 and dependent not in self.dead:
                    ready.appendleft(dependent)  # run the consumer while its input is in memory
        if t is not None:
            self._unload_inputs(t, key)

    def _unload_inputs(self, t, key):
        uses = self.uses_left
        for dep in t.dependencies():
            dep_key = dep.hash()
            uses[dep_key] -= 1
            if uses[dep_key] <= 0:
                dep.unload()
        if self.worker.options.aggressive_unload or uses[key] <= 0:
            t.unload()

    def fail(self, key):
        """``key`` cannot finish: everything downstream is blocked."""
        self.task_of.pop(key, None)
        self.external.discard(key)
        stack = [key]
        while stack:
            k = stack.pop()
            if k in self.dead:
                continue
            self.dead.add(k)
            stack.extend(self.dependents.get(k, ()))

    def orphan(self, key):
        """An unselected dependency nobody is running: what needs it cannot run here."""
        self.fail(key)
        self.worker.summary.missing_inputs.add(self.name_of(key))

    def blocked_keys(self):
        failed = self.worker.failed
        return [k for k in self.dead if k not in failed and k in self.waiting_on]
