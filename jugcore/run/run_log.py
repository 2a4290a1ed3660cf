"""What `jug execute` tells standard ``logging`` (`--verbose info|debug`, or
handlers and levels a jugfile sets itself).

Loggers: ``jug.execute`` (info: each pass with its tasks known, done and
ready; each task's start and end, with its duration and the worker; waits for
other workers and why; barriers), ``jug.locks`` (debug: what became of each
lock) and ``jug.store`` (debug: what the store answered; store plugins log
reconnects there).  A jugfile adds a handler with
``logging.getLogger("jug").addHandler(...)`` and sets the level it wants.

Off, it costs nothing measurable: the worker asks :func:`run_log` once per
pass (after the jugfile was imported, so the jugfile's own set-up counts), and
gets None unless ``logging`` was imported and ``jug.execute`` logs info;
every call site on a task's common path is one ``is None`` test.
"""
import sys

__all__ = ["RunLog", "run_log"]


def run_log(worker_index=0, worker_count=1):
    """A :class:`RunLog` for this process (worker ``worker_index`` of ``worker_count``
    under `-j N`), or None when nothing would be logged."""
    logging = sys.modules.get("logging")
    if logging is None or not logging.getLogger("jug.execute").isEnabledFor(logging.INFO):
        return None
    return RunLog(logging, _worker_name(worker_index, worker_count))


def _worker_name(index, count):
    """``host:pid``, with ``(worker 2 of 4)`` under `-j 4`."""
    import os

    from jugcore.host import HOSTNAME

    name = f"{HOSTNAME}:{os.getpid()}"
    return f"{name} (worker {index + 1} of {count})" if count > 1 else name


def _tasks(n):
    return f"{n} task" if n == 1 else f"{n} tasks"


def _seconds(seconds):
    return f"{seconds:.3f} s" if seconds < 100 else f"{seconds:.0f} s"


def _task(t, key):
    return f"{t.name} [{key[:8].decode()}]"


class RunLog:
    """One worker's log lines; ``locks`` and ``store`` are None unless debug is on for them."""

    def __init__(self, logging, worker):
        self.worker = worker
        self.info = logging.getLogger("jug.execute").info
        self.locks = self._debug(logging, "jug.locks")
        self.store = self._debug(logging, "jug.store")

    @staticmethod
    def _debug(logging, name):
        logger = logging.getLogger(name)
        return logger.debug if logger.isEnabledFor(logging.DEBUG) else None

    # --- jug.execute ---------------------------------------------------------------------------
    def pass_started(self, number, known, unfinished, ready):
        self.info(f"pass {number} on {self.worker}: {_tasks(known)} known, {known - unfinished} of them done, "
                  f"{ready} ready to run")

    def task_started(self, t, key):
        self.info(f"task {_task(t, key)} started on {self.worker}")

    def task_finished(self, t, key, seconds):
        self.info(f"task {_task(t, key)} finished on {self.worker} in {_seconds(seconds)}")

    def task_failed(self, t, key, seconds, error):
        self.info(f"task {_task(t, key)} failed on {self.worker} after {_seconds(seconds)}: "
                  f"{type(error).__name__}: {error}")

    def waiting(self, held, budget):
        names = sorted({name for name in held.values()})
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        self.info(f"{self.worker} waits: nothing is ready here; other workers hold {_tasks(len(held))} it needs "
                  f"({shown}); it gives up after {_seconds(budget)} without progress")

    def gave_up(self, held, budget):
        self.info(f"{self.worker} gives up waiting for {_tasks(held)} other workers hold: "
                  f"no progress for {_seconds(budget)} (--wait-cycle-time x --nr-wait-cycles)")

    def barrier(self, number, done):
        self.info(f"barrier passed on {self.worker} with {_tasks(done)} done; pass {number + 1} imports "
                  "the jugfile again")

    # --- jug.locks and jug.store (debug) ----------------------------------------------------------
    def lock(self, t, key, decision):
        if self.locks is not None:
            self.locks(f"lock of {_task(t, key)}: {decision}")

    def stored(self, which, asked, found):
        if self.store is not None:
            self.store(f"{found} of {asked} {which} have results")
