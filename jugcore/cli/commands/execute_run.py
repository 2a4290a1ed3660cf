"""One `jug execute` worker: import the jugfile in passes, run what is ready, report."""
import signal
import sys

import click

from jugcore.cli.run_report import print_failures, print_outcome
from jugcore.run.options import ExecuteOptions
from jugcore.run.selection import make_selector
from jugcore.run.worker import Worker, exit_on_sigterm
from jugcore.stores.contract import redact
from jugcore.cli.tables import print_table

__all__ = ["execute_command", "run"]


def execute_command(ctx, spec_text, args, name, target, pattern, keep_going, keep_failed, wait_cycle_time,
                    nr_wait_cycles, no_check_environment, jobs):
    """``spec_text``: a -j worker's WorkerSpec as JSON, else None; ``args``: the command's arguments."""
    if target is not None:
        click.echo("jug: warning: --target is deprecated and means --name (exact name, * wildcards); "
                   "use --name, or --pattern for substring matches", err=True)
        name = name or target
    options = ExecuteOptions(
        keep_going=keep_going, keep_failed=keep_failed, wait_cycle_time=wait_cycle_time,
        nr_wait_cycles=nr_wait_cycles, aggressive_unload=ctx.aggressive_unload, debug=ctx.debug,
        pdb=ctx.pdb, select=make_selector(name, pattern), check_environment=not no_check_environment,
    )
    if spec_text is None and jobs > 1:
        from jugcore.cli.commands.execute_workers import run_workers

        sys.exit(run_workers(ctx, jobs, args, options.run_started))
    spec = _as_worker(ctx, spec_text, options) if spec_text is not None else None
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    summary = run(ctx, options)
    _report(ctx, spec, summary)
    sys.exit(0 if summary.ok else 1)


def _report(ctx, spec, summary):
    print_failures(summary, verbose=bool(ctx.verbose))
    if spec is not None:  # a -j worker: its parent prints one table for all
        from jugcore.run.local_workers import write_report

        write_report(spec, summary)
    else:
        print_table([("Executed", summary.executed), ("Loaded", summary.loaded)])
        print_outcome(summary)
    ctx.pm.hook.jug_execute_reported(summary=summary)


def _as_worker(ctx, spec_text, options):
    """This process is a worker of `jug execute -j N`: its WorkerSpec, applied to ``options``."""
    from jugcore.run.local_workers import WorkerSpec, as_worker  # only -j runs pay for it

    spec = WorkerSpec.from_json(spec_text)
    options.worker_index, options.worker_count, options.run_started = spec.index, spec.count, spec.run_started
    as_worker(ctx.pm, spec)
    return spec


def run(ctx, options):
    """Import the jugfile in passes (one per barrier) and run each pass's tasks."""
    store = ctx.open_store()
    worker = Worker(store, ctx.pm, options, ctx.jugfile_dir, where=redact(ctx.jugdir))
    pm = ctx.pm
    previous_done = -1
    while True:
        _, at_barrier = ctx.import_jugfile()
        pm.hook.jug_execute_started(jugfile=ctx.jugfile, store=store, total=len(ctx.tasks),
                                    workers=options.worker_count)
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
