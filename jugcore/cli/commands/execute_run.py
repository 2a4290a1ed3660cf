"""One `jug execute` worker: import the jugfile in passes, run what is ready, report."""
import signal
import sys

import click

from jugcore.cli.no_match import no_match_message
from jugcore.cli.run_report import print_failures, print_outcome
from jugcore.model.task import task_name
from jugcore.run.options import ExecuteOptions
from jugcore.run.selection import make_selector
from jugcore.run.worker import Worker, exit_on_sigterm
from jugcore.stores.contract import redact
from jugcore.cli.tables import print_table

__all__ = ["execute_command", "run"]


def execute_command(ctx, spec_text, args, name, target, pattern, keep_going, keep_failed, wait_cycle_time,
                    nr_wait_cycles, no_check_environment, run_records, jobs):
    """``spec_text``: a -j worker's WorkerSpec as JSON, else None; ``args``: the command's arguments."""
    if target is not None:
        click.echo("jug: warning: --target is deprecated and means --name (exact name, * wildcards); "
                   "use --name, or --pattern for substring matches", err=True)
        name = name or target
    options = ExecuteOptions(
        keep_going=keep_going, keep_failed=keep_failed, wait_cycle_time=wait_cycle_time,
        nr_wait_cycles=nr_wait_cycles, aggressive_unload=ctx.aggressive_unload, debug=ctx.debug,
        pdb=ctx.pdb, select=make_selector(name, pattern), check_environment=not no_check_environment,
        run_records=run_records,
        selection=" ".join(f"{option} {value}" for option, value in (("--name", name), ("--pattern", pattern))
                           if value is not None),
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
    names = set()  # of every task seen, when a selection may match none of them
    while True:
        _, at_barrier = ctx.import_jugfile()
        if options.select is not None:
            names.update(map(task_name, ctx.tasks))
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
        if worker.log is not None:
            worker.log.barrier(worker.passes, previous_done)
    if options.select is not None and not any(map(options.select, names)):
        worker.summary.unmatched = _unmatched(options, names, worker.summary.barrier_unmet)
    pm.hook.jug_execute_finished(summary=worker.summary)
    return worker.summary


def _unmatched(options, names, stopped_at_barrier):
    if stopped_at_barrier:  # the names after the barrier are not known yet
        return (f"no task before the barrier the jugfile stops at matches {options.selection}; "
                "the tasks after it are known once those before it have run")
    option, _, value = options.selection.partition(" ")
    if " --pattern " in value:  # both given: no close names for the pair
        return f"no task matches {options.selection}"
    return no_match_message(option, value, names)
