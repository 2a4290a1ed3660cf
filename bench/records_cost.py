"""What run records add to each task, measured inside one `jug execute` worker.

Usage: python records_cost.py JUGDIR N  (our python; JUGDIR a path or a store URL)

Runs N trivial tasks through jugcore's own Worker in one pass, with
records on and off in turn every CHUNK tasks (on, off, off, on, ...: a
drift of the machine's speed hits both alike).  Each pair of neighbouring
chunks gives a ratio; prints JSON: the median ratio, and the mean
microseconds per task with and without records.  Stores that queue their
records for a thread (RecordQueue) have them written at the end of each
chunk, inside its time, so that the thread's work counts where it belongs.
Whole `jug execute` processes differ by a few percent from run to run on a
shared machine, more than what records cost; chunks a few milliseconds
apart do not.
"""
import json
import os
import statistics
import sys
import time

from jugcore.app import make_app, use_app
from jugcore.model.task import Task
from jugcore.run.options import ExecuteOptions
from jugcore.run.worker import Worker
from jugcore.stores import record_queue

CHUNK = 250


def double(x):
    return 2 * x


def main(jugdir, n):
    app = use_app(make_app())
    store = app.open_store(jugdir)
    tasks = [Task(double, i) for i in range(n)]
    options = ExecuteOptions()
    worker = Worker(store, app.pm, options, jugfile_dir=os.getcwd(), where=jugdir)
    times = {True: [], False: []}
    attempt = worker.runner.attempt
    clock = {"count": 0, "started": None, "on": None}

    def timed_attempt(t):
        """The runner's attempt; every CHUNK tasks, the chunk's time noted and records switched."""
        if clock["count"] % CHUNK == 0:
            record_queue.flush_all()  # the chunk's records, written in its time
            now = time.perf_counter()
            if clock["started"] is not None:
                times[clock["on"]].append(now - clock["started"])
            clock["on"] = options.run_records = (clock["count"] // CHUNK) % 4 in (0, 3)
            clock["started"] = now
        clock["count"] += 1
        return attempt(t)

    worker.runner.attempt = timed_attempt
    worker.run_pass(tasks)
    store.close()
    executed = sum(worker.summary.executed.values())
    if executed != n:
        sys.exit(f"executed {executed} tasks, expected {n}: the jugdir was not empty?")
    ratios = [w / wo for w, wo in zip(times[True], times[False])]
    print(json.dumps({
        "median_ratio": statistics.median(ratios),
        "with_us": sum(times[True]) / len(times[True]) / CHUNK * 1e6,
        "without_us": sum(times[False]) / len(times[False]) / CHUNK * 1e6,
        "pairs": len(ratios),
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
