"""One task at a time: lock -> check again -> run -> store -> unlock.

The :class:`TaskRunner` keeps what this worker knows (keys with results, keys
that failed) and counts what it did in a :class:`RunSummary`; which task to
try next is the worker's (jugcore.run.worker) business.
"""
import time
from enum import Enum

from jugcore.errors import LeaseLost, StoreWriteError, is_store_environment_error
from jugcore.model.fingerprint import code_fingerprint
from jugcore.model.task import alltasks, task_name
from jugcore.plugins import direct_caller
from jugcore.run.failures import LostLease, TaskFailure
from jugcore.run.summary import RunSummary
from jugcore.stores.run_record import RunRecord

__all__ = ["Outcome", "TaskRunner", "RAN", "LOADED", "BUSY", "FAILED", "FAILED_ELSEWHERE"]


class Outcome(Enum):
    """What became of one attempt at a task."""

    RAN = "ran"  # it ran here and its result is stored
    LOADED = "loaded"  # another worker had stored its result
    BUSY = "busy"  # another worker holds it (or took it over from us): wait for it
    FAILED = "failed"  # it failed here
    FAILED_ELSEWHERE = "failed elsewhere"  # marked failed in the store, and not ours to retry


# For the per-task path: a member looked up on an Enum class costs ~70 ns (Python 3.11), a global ~10.
RAN, LOADED, BUSY = Outcome.RAN, Outcome.LOADED, Outcome.BUSY
FAILED, FAILED_ELSEWHERE = Outcome.FAILED, Outcome.FAILED_ELSEWHERE

_EVENTS = ("jug_tasks_skipped", "jug_task_started", "jug_task_finished", "jug_task_failed")


class TaskRunner:
    def __init__(self, store, pm, options, where):
        self.store = store
        self.where = where  # the jugdir, as error messages name it
        self.options = options
        self.summary = RunSummary()
        self.done = set()  # keys known to have results
        self.failed = set()  # keys that failed here, or are marked failed in the store
        self._counted = set()  # keys already in the executed/loaded columns
        self._pm = pm
        self.look_up_hooks()
        self._skipped = []  # loaded tasks not yet reported to jug_tasks_skipped
        self._fingerprinted = (None, "")  # (the last task function run, its code fingerprint)
        self.log = None  # a RunLog while logging is on (the worker sets it each pass)

    def look_up_hooks(self):
        """Find the implementations of the per-task hooks again (at each pass: a
        jugfile may have enabled a plugin while it was imported, as Jug 2's hooks do)."""
        callers = {name: direct_caller(self._pm, name) for name in _EVENTS}
        self._notify = {name: call for name, call in callers.items() if call is not None}

    # --- what other workers did ----------------------------------------------------
    def found_done(self, by_key):
        """These tasks (key -> Task) have results: count them as loaded, each key once per run."""
        self.done.update(by_key)
        self.count_loaded(by_key)

    def count_loaded(self, by_key):
        """Count these tasks (key -> Task, known done) as loaded, each key once per run."""
        counted = self._counted
        fresh = {k: t for k, t in by_key.items() if k not in counted} if counted else by_key
        if fresh:
            counted.update(fresh)
            self.summary.loaded.update(map(task_name, fresh.values()))
            self._skipped.extend(fresh.values())

    def found_failed(self, key, name):
        """Task ``name`` is marked failed in the store: not ours to run or retry."""
        self.failed.add(key)
        self.summary.failed_elsewhere[key.decode()] = name

    def flush_skipped(self):
        """Report the tasks found loaded since the last call, in one hook call."""
        if self._skipped and "jug_tasks_skipped" in self._notify:
            self._notify["jug_tasks_skipped"](tasks=self._skipped)
        self._skipped = []

    # --- one task ------------------------------------------------------------------
    def attempt(self, t):
        key = t.hash()
        lock = self.store.getlock(key)
        if not self._locking(t, lock.get):
            if self.store.can_load(key):
                self.found_done({key: t})
                self._note(t, key, "held, and the result is stored: loaded")
                return LOADED
            if not self._locking(t, lock.take_failed, self.options.run_started):
                return self._held_elsewhere(t, key, lock)
            self._note(t, key, "marked failed before this run: taken over, to retry it")
        elif self.log is not None:  # (the common path pays no call)
            self.log.lock(t, key, "taken")
        return self._attempt_locked(t, key, lock)

    def _held_elsewhere(self, t, key, lock):
        if lock.is_failed():
            self.found_failed(key, t.name)
            self._note(t, key, "marked failed by another worker during this run: not retried")
            return FAILED_ELSEWHERE
        self._note(t, key, "held by another worker: wait for it")
        return BUSY

    def _note(self, t, key, decision):
        if self.log is not None:
            self.log.lock(t, key, decision)

    def _attempt_locked(self, t, key, lock):
        keep_lock = False
        try:
            if self.store.can_load(key):  # finished by another worker since we listed
                self.found_done({key: t})
                self._note(t, key, "its result was stored meanwhile: loaded")
                return LOADED
            try:
                failure = self._run(t, key)
            except LeaseLost as lost:
                self.summary.lease_lost.append(LostLease(t.name, key.decode(), lost.holder))
                return BUSY  # the worker that took it over finishes it; we wait for that
            if failure is None:
                return RAN
            keep_lock = self._failed(t, key, lock, failure)
            return FAILED
        finally:
            if not keep_lock:
                lock.release()
            if self.log is not None:
                self.log.lock(t, key, "marked failed" if keep_lock else "released")

    def _failed(self, t, key, lock, failure):
        """Count and announce ``failure``; True if the lock now marks it failed (keep it)."""
        self.failed.add(key)
        self.summary.failures.append(failure)
        if "jug_task_failed" in self._notify:
            self._notify["jug_task_failed"](task=t, error=failure.error)
        # Kept in the store, so every process sees it; the next run retries it
        # (unless --keep-failed), workers running now do not.
        return lock.fail(failure.record(kept=self.options.keep_failed))

    def _locking(self, t, take, *args):
        """``take(*args)``, which takes ``t``'s lock; a store that cannot be written
        (full, read-only) ends the run with one clear error, not a traceback."""
        try:
            return take(*args)
        except OSError as e:
            raise StoreWriteError(e, f"taking the lock of {t.name}", self.where) from None

    def _run(self, t, key):
        """Run ``t`` and store its result: None, or the TaskFailure."""
        if "jug_task_started" in self._notify:
            self._notify["jug_task_started"](task=t)
        if self.log is not None:
            self.log.task_started(t, key)
        started = time.perf_counter()
        wall_started = time.time()
        try:
            result = self._compute_checked(t) if self.options.debug else t.compute()
        except Exception as e:
            self._maybe_debug(e)
            return self._failure(t, key, e, started)
        if self.options.run_records:
            if t.f is not self._fingerprinted[0]:  # tasks of one function run in a row: a lookup saved
                self._fingerprinted = (t.f, code_fingerprint(t.f))
            record = RunRecord.now(t.name, wall_started, time.perf_counter() - started, self._fingerprinted[1])
        else:
            record = None
        try:
            if record is None:
                self.store.dump(key, result)
            else:
                self.store.dump_recorded(key, result, record)
        except LeaseLost:
            raise
        except Exception as e:
            if is_store_environment_error(e):  # no task's fault: end the run, mark nothing failed
                raise StoreWriteError(e, f"storing the result of {t.name}", self.where) from None
            self._maybe_debug(e)
            return self._failure(t, key, e, started, saving=True)
        seconds = time.perf_counter() - started
        t.keep_result(result)
        self.done.add(key)
        self._counted.add(key)
        self.summary.executed[t.name] += 1
        if "jug_task_finished" in self._notify:
            self._notify["jug_task_finished"](task=t, seconds=seconds)
        if self.log is not None:
            self.log.task_finished(t, key, seconds)
        return None

    def _failure(self, t, key, error, started, saving=False):
        if self.log is not None:
            self.log.task_failed(t, key, time.perf_counter() - started, error)
        return TaskFailure(t.name, key.decode(), error, saving=saving)

    def _compute_checked(self, t):
        """--debug: compute ``t``, checking that it changes neither its inputs nor the task list."""
        created_before = len(alltasks)
        t.check_hash()
        result = t.compute()
        t.check_hash()
        if len(alltasks) != created_before:
            raise RuntimeError(f"task {t.name} created new tasks while running; tasks must be created "
                               "in the jugfile (or use a CompoundTask)")
        return result

    def _maybe_debug(self, error):
        if self.options.pdb:
            import pdb

            pdb.post_mortem(error.__traceback__)
