"""One `jug execute` worker: import the jugfile in passes, run what is ready, report."""
import json
import os
import signal
import sys

import click

from jugcore.cli.run_report import print_failures, print_outcome
from jugcore.run.scheduler import ExecuteOptions, Worker
from jugcore.run.selection import make_selector
from jugcore.stores.contract import redact
from jugcore.cli.tables import print_table

__all__ = ["execute_command", "run", "exit_on_sigterm"]

# Set by `jug execute -j N` for its workers.
REPORT_ENV = "JUG_WORKER_REPORT"
INDEX_ENV = "JUG_WORKER_INDEX"
COUNT_ENV = "JUG_WORKER_COUNT"
STARTED_ENV = "JUG_RUN_STARTED"  # the parent's start: siblings' failures are not retried


def execute_command(ctx, name, target, pattern, keep_going, keep_failed, wait_cycle_time, nr_wait_cycles,
                    no_check_environment, jobs):
    if target is not None:
        click.echo("jug: warning: --target is deprecated and means --name (exact name, * wildcards); "
                   "use --name, or --pattern for substring matches", err=True)
        name = name or target
    options = ExecuteOptions(
        keep_going=keep_going, keep_failed=keep_failed, wait_cycle_time=wait_cycle_time,
        nr_wait_cycles=nr_wait_cycles, aggressive_unload=ctx.aggressive_unload, debug=ctx.debug,
        pdb=ctx.pdb, select=make_selector(name, pattern),
        worker_index=int(os.environ.get(INDEX_ENV, 0)), worker_count=int(os.environ.get(COUNT_ENV, 1)),
        check_environment=not no_check_environment,
    )
    if STARTED_ENV in os.environ:
        options.run_started = float(os.environ[STARTED_ENV])
    if jobs > 1 and INDEX_ENV not in os.environ:  # a -j worker runs its share itself
        from jugcore.cli.commands.execute_workers import run_workers

        sys.exit(run_workers(ctx, jobs, options.run_started))
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    summary = run(ctx, options)
    print_failures(summary, verbose=bool(ctx.verbose))
    report_path = os.environ.get(REPORT_ENV)
    if report_path:  # a -j worker: the parent prints one table for all
        _write_report(report_path, summary)
    else:
        print_table([("Executed", summary.executed), ("Loaded", summary.loaded)])
        print_outcome(summary)
    sys.exit(0 if summary.ok else 1)


def exit_on_sigterm(signum, frame):
    # Unwind normally so that the lock of the running task is released.
    raise SystemExit(1)


def run(ctx, options):
    """Import the jugfile in passes (one per barrier) and run each pass's tasks."""
    store = ctx.open_store()
    worker = Worker(store, ctx.pm, options, ctx.jugfile_dir, where=redact(ctx.jugdir))
    pm = ctx.pm
    previous_done = -1
    while True:
        _, at_barrier = ctx.import_jugfile()
        pm.hook.jug_execute_started(jugfile=ctx.jugfile, store=store, total=len(ctx.tasks))
        if not worker.run_pass(list(ctx.tasks)) or not at_barrier:
            break
        if not worker.summary.ok or worker.summary.gave_up_waiting:
            break
        if len(worker.done) == previous_done:
            worker.summary.barrier_unmet = (
                "the jugfile stops at a barrier whose tasks cannot all run here "
                "(not selected by --name/--pattern, or held by other workers)"
            )
            break
        previous_done = len(worker.done)
    pm.hook.jug_execute_finished(summary=worker.summary)
    return worker.summary


def _write_report(path, summary):
    report = {
        "executed": summary.executed, "loaded": summary.loaded,
        "failures": {f.key: f.headline() for f in summary.failures}, "blocked": summary.blocked,
        "failed_elsewhere": summary.failed_elsewhere, "missing_inputs": sorted(summary.missing_inputs),
        "stopped": summary.stopped, "gave_up_waiting": summary.gave_up_waiting,
        "barrier_unmet": summary.barrier_unmet,
        "lease_lost": [[lost.name, lost.key, lost.holder] for lost in summary.lease_lost],
    }
    with open(path, "w") as f:
        json.dump(report, f)
