"""The scheduler behind `jug execute`: run every task whose inputs are ready.

One worker, one store.  Workers (here or on other machines) coordinate only
through the store's locks.  A pass works on the tasks one import of the
jugfile defined:

1. hash them and ask the store, in one bulk query, which are done;
2. count each remaining task's unfinished dependencies (DependencyGraph);
   those at zero are ready;
3. lock -> check again -> run -> store -> unlock (TaskRunner), releasing
   dependents as their counts reach zero;
4. when nothing is ready but other workers hold tasks we wait for, poll the
   store with back-off (not a fixed sleep) until they finish, fail or give up.

A task whose dependency failed is blocked; a worker left with only blocked
tasks says so and stops instead of waiting for a result that cannot come.
A task whose lease we lost while running it (the store refused its result
with LeaseLost) is counted apart and left to the worker that took it over.
No click here: commands turn the outcome into output and exit codes.
"""
import time
from collections import deque

from jugcore.model.task import task_keys
from jugcore.plugins import direct_caller
from jugcore.run.graph import DependencyGraph
from jugcore.run.options import WorkerState
from jugcore.run.run_log import run_log
from jugcore.run.task_runner import BUSY, FAILED, LOADED, RAN, TaskRunner
from jugcore.stores.contract import FAILED as FAILED_LOCK  # a lock state, not an Outcome

__all__ = ["Worker", "exit_on_sigterm"]

_FIRST_BACKOFF = 0.02
_REFRESH_AFTER = 8  # tasks in a row found done by others before asking the store about all ready ones


class _Stop(Exception):
    pass


def exit_on_sigterm(signum, frame):
    """SIGTERM handler: unwind normally, so that the running task's lock is released
    (and a -j parent stops its workers)."""
    raise SystemExit(1)


class Worker:
    def __init__(self, store, pm, options, jugfile_dir=".", where=None):
        self.store = store
        self.options = options
        self.runner = TaskRunner(store, pm, options, where or repr(store))
        self.state = WorkerState(0, time.monotonic(), jugfile_dir, store, options.check_environment)
        self._pm = pm
        self._should_stop = None
        self.passes = 0
        self.log = None  # a RunLog while logging is on

    @property
    def summary(self):
        return self.runner.summary

    @property
    def done(self):
        """Keys known to have results."""
        return self.runner.done

    def flush_skipped(self):
        self.runner.flush_skipped()

    # --- one pass over the tasks one import defined -----------------------------
    def run_pass(self, tasks):
        """Run what can be run; returns False if the run must end (failure or stop)."""
        self.runner.look_up_hooks()  # the jugfile, just imported, may have enabled some
        self._should_stop = direct_caller(self._pm, "jug_should_stop", firstresult=True)
        if self.options.select is not None:
            tasks = [t for t in tasks if self.options.select(t.name)]
        self.passes += 1
        self.log = self.runner.log = run_log(self.options.worker_index, self.options.worker_count)
        this_pass = _Pass(self, tasks)
        self.flush_skipped()
        try:
            this_pass.drain()
        except _Stop:
            return False
        for key in this_pass.blocked:
            if key not in self.runner.failed:
                self.summary.blocked[key.decode()] = this_pass.graph.name_of(key)
        return True

    def check_stop(self):
        """Ask the stop policies (``jug_should_stop``) before the next task."""
        if self._should_stop is not None:
            self.state.executed = sum(self.summary.executed.values())
            reason = self._should_stop(state=self.state)
            if reason:
                self.summary.stopped = reason
                raise _Stop


class _Pass:
    """One pass of a worker: the graph of its unfinished tasks, what is ready to
    run (in order), and what other workers hold."""

    def __init__(self, worker, tasks):
        self.worker = worker
        self.runner = worker.runner
        self.store = worker.store
        self.options = worker.options
        self.blocked = []  # keys of tasks that cannot run because something they need failed
        self.elsewhere = set()  # keys other workers hold
        self.graph = self._graph_of(tasks)
        self.ready = deque(self.graph.ready())
        if self.options.worker_count > 1:
            # Sibling workers start at different points of the ready list
            # instead of racing for the same locks in the same order.
            self.ready.rotate(-(len(self.ready) * self.options.worker_index // self.options.worker_count))
        self._reset_patience()
        self._found_done = 0  # tasks in a row that another worker had finished
        if worker.log is not None:
            worker.log.pass_started(worker.passes, len(tasks), len(self.graph), len(self.ready))

    def _graph_of(self, tasks):
        """Ask the store which tasks are done (counted as loaded); the rest, as a graph."""
        keys = task_keys(tasks)
        done, failed = self.runner.done, self.runner.failed
        # A list in the jugfile's order, not a set: stores may remember the answer for it.
        unknown = [k for k in dict.fromkeys(keys) if k not in done and k not in failed]
        if unknown:
            found = self.store.can_load_many(unknown)
            done.update(found)
            if self.worker.log is not None:
                self.worker.log.stored("tasks of this pass", len(unknown), len(found))
        if done:
            tasks, keys = self._unfinished(tasks, keys)
        graph = DependencyGraph(tasks, keys, done)
        for key in keys if failed else ():
            if graph.task(key) is not None and key in failed:
                self.blocked.extend(graph.fail(key))
        return graph

    def _unfinished(self, tasks, keys):
        """The tasks (and keys) without a result; those with one are counted as loaded."""
        done, loaded, todo, todo_keys = self.runner.done, {}, [], []
        for t, key in zip(tasks, keys):
            if key in done:
                loaded[key] = t
            else:
                todo.append(t)
                todo_keys.append(key)
        self.runner.count_loaded(loaded)
        return todo, todo_keys

    def _reset_patience(self):
        """The wait for others starts afresh: the budget counts from the last progress."""
        self._deadline = time.monotonic() + self.options.wait_budget
        self._backoff = _FIRST_BACKOFF
        self._progressed = False
        self._wait_logged = False

    def drain(self):
        while True:
            if self.ready:
                self._next()
            elif not self._wait_for_others():
                return

    def _next(self):
        """Try the first ready task."""
        if self._found_done >= _REFRESH_AFTER:
            self._drop_finished()
            self._found_done = 0
            return
        self.store.prepare_locks(self.ready)
        key = self.ready.popleft()
        self.worker.check_stop()
        outcome = self.runner.attempt(self.graph.task(key))
        if outcome is RAN or outcome is LOADED:
            if outcome is LOADED:
                self.runner.flush_skipped()
                self._found_done += 1
            else:
                self._found_done = 0
            self._complete(key)
            self._progressed = True
        elif outcome is BUSY:
            self.elsewhere.add(key)
        else:  # failed here, or elsewhere
            self._fail(key)
            if outcome is FAILED and not self.options.keep_going:
                raise _Stop

    def _complete(self, key):
        graph = self.graph
        t = graph.task(key) if self.options.aggressive_unload else None
        self.ready.extendleft(graph.complete(key))  # run consumers while their inputs are in memory
        for unneeded in graph.release(key):
            unneeded.unload()
        if t is not None:
            t.unload()

    def _fail(self, key):
        self.blocked.extend(self.graph.fail(key))

    def _drop_finished(self):
        """We keep finding tasks another worker finished: ask the store, in one
        query, which of the ready tasks are done, rather than lock each one."""
        finished = self.store.can_load_many(list(self.ready))
        if self.worker.log is not None:
            self.worker.log.stored("ready tasks", len(self.ready), len(finished))
        if finished:
            self.runner.found_done({key: self.graph.task(key) for key in finished})
            self.runner.flush_skipped()
            remaining = [k for k in self.ready if k not in finished]
            self.ready.clear()
            self.ready.extend(remaining)
            for key in finished:
                self._complete(key)

    def _wait_for_others(self):
        """Nothing is ready: wait (with back-off) for tasks others hold.  False
        when there is nothing to wait for, or the wait budget ran out."""
        if self._progressed:
            self._reset_patience()
        done = self.runner.done
        self.elsewhere.update(k for k in self.graph.outside() if k not in done)
        if not self.elsewhere:
            return False
        log = self.worker.log
        if time.monotonic() >= self._deadline:
            self.worker.summary.gave_up_waiting = len(self.elsewhere)
            if log is not None:
                log.gave_up(len(self.elsewhere), self.options.wait_budget)
            return False
        if log is not None and not self._wait_logged:
            self._wait_logged = True
            log.waiting({key: self.graph.name_of(key) for key in self.elsewhere}, self.options.wait_budget)
        time.sleep(self._backoff)
        self._backoff = min(self._backoff * 1.5, max(self.options.wait_cycle_time, _FIRST_BACKOFF))
        self._progressed = self._poll_finished() | self._poll_locks()
        self.runner.flush_skipped()
        return True

    def _poll_finished(self):
        """Complete the tasks others hold that have results now; True if any."""
        finished = self.store.can_load_many(list(self.elsewhere))
        if self.worker.log is not None:
            self.worker.log.stored("tasks other workers hold", len(self.elsewhere), len(finished))
        for key in finished:
            self.elsewhere.discard(key)
            t = self.graph.task(key)
            if t is not None:
                self.runner.found_done({key: t})
            else:
                self.runner.done.add(key)
            self._complete(key)
        return bool(finished)

    def _poll_locks(self):
        """Tasks others marked failed, or let go of without a result; True if any."""
        states = self.store.lock_state_many(list(self.elsewhere))
        moved = False
        for key in list(self.elsewhere):
            state = states.get(key)
            if state == FAILED_LOCK:
                self.runner.found_failed(key, self.graph.name_of(key))
                self._fail(key)
            elif state is None and self.graph.task(key) is not None:
                self.ready.append(key)  # released without a result: try it ourselves
            elif state is None:  # an unselected dependency nobody is running
                self._fail(key)
                self.worker.summary.missing_inputs.add(self.graph.name_of(key))
            else:
                continue
            self.elsewhere.discard(key)
            moved = True
        return moved
