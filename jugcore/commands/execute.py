"""`jug execute`: run the jugfile's tasks, in this process or in -j N workers."""
import json
import os
import signal
import sys
from collections import Counter

import click

from jugcore.commands.common import jugfile_command
from jugcore.commands.report import print_failures, print_outcome
from jugcore.errors import JugError
from jugcore.execution import ExecuteOptions, RunSummary, Worker
from jugcore.plugins import hookimpl
from jugcore.selection import make_selector
from jugcore.store import select_backend
from jugcore.summary import print_table
from jugcore import task
from jugcore.builtin import progress

# Set by `jug execute -j N` for its workers.
_REPORT_ENV = "JUG_WORKER_REPORT"
_INDEX_ENV = "JUG_WORKER_INDEX"
_COUNT_ENV = "JUG_WORKER_COUNT"
_STARTED_ENV = "JUG_RUN_STARTED"  # the parent's start: siblings' failures are not retried


@jugfile_command("execute", context_settings={"ignore_unknown_options": False})
@click.option("--name", metavar="NAME",
              help="Only tasks named NAME (module.function, or its tail; * and ? are wildcards).")
@click.option("--target", hidden=True, help="Deprecated spelling of --name.")
@click.option("--pattern", metavar="PATTERN", help="Only tasks whose name contains PATTERN, or matches /regex/.")
@click.option("--keep-going", is_flag=True, help="After a task fails, go on with the tasks that do not need it.")
@click.option("--keep-failed", is_flag=True,
              help="Do not retry tasks that failed in earlier runs (every failure is recorded in the jugdir).")
@click.option("--wait-cycle-time", type=float, default=12.0, show_default=True, metavar="SECONDS",
              help="Longest pause between looks at tasks other workers hold.")
@click.option("--nr-wait-cycles", type=int, default=150, show_default=True, metavar="N",
              help="Give up after N wait cycles with no progress.")
@click.option("--no-check-environment", is_flag=True,
              help="Ignore the stop file and the JUG_MAX_* / JUG_EXIT_IF_FILE_EXISTS limits.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, metavar="N",
              help="Run N worker processes on this machine, sharing the jugdir.")
def execute(ctx, name, target, pattern, keep_going, keep_failed, wait_cycle_time, nr_wait_cycles,
            no_check_environment, jobs):
    """Run the tasks of JUGFILE that have no result yet; ARGS reach the jugfile in sys.argv."""
    if target is not None:
        click.echo("jug: warning: --target is deprecated and means --name (exact name, * wildcards); "
                   "use --name, or --pattern for substring matches", err=True)
        name = name or target
    options = ExecuteOptions(
        keep_going=keep_going, keep_failed=keep_failed, wait_cycle_time=wait_cycle_time,
        nr_wait_cycles=nr_wait_cycles, aggressive_unload=ctx.aggressive_unload, debug=ctx.debug,
        pdb=ctx.pdb, select=make_selector(name, pattern),
        worker_index=int(os.environ.get(_INDEX_ENV, 0)), worker_count=int(os.environ.get(_COUNT_ENV, 1)),
        check_environment=not no_check_environment,
    )
    if _STARTED_ENV in os.environ:
        options.run_started = float(os.environ[_STARTED_ENV])
    if jobs > 1 and _INDEX_ENV not in os.environ:  # a -j worker runs its share itself
        sys.exit(_run_workers(ctx, jobs, options.run_started))
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    summary = run(ctx, options)
    print_failures(summary, verbose=bool(ctx.verbose))
    report_path = os.environ.get(_REPORT_ENV)
    if report_path:  # a -j worker: the parent prints one table for all
        _write_report(report_path, summary)
    else:
        print_table([("Executed", summary.executed), ("Loaded", summary.loaded)])
        print_outcome(summary)
    sys.exit(0 if summary.ok else 1)


def _exit_on_sigterm(signum, frame):
    # Unwind normally so that the lock of the running task is released.
    raise SystemExit(1)


def run(ctx, options):
    """Import the jugfile in passes (one per barrier) and run each pass's tasks."""
    store = ctx.open_store()
    worker = Worker(store, ctx.pm, options, ctx.jugfile_dir)
    pm = ctx.pm
    previous_done = -1
    while True:
        _, at_barrier = ctx.import_jugfile()
        pm.hook.jug_execute_started(jugfile=ctx.jugfile, store=store, total=len(task.alltasks))
        if not worker.run_pass(list(task.alltasks)) or not at_barrier:
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
    }
    with open(path, "w") as f:
        json.dump(report, f)


def _run_workers(ctx, jobs, run_started):
    """Start ``jobs`` copies of this command (without -j); print one combined table."""
    import subprocess
    import tempfile

    backend, _ = select_backend(ctx.pm, ctx.jugdir)
    if not backend.shared_between_processes:
        raise JugError(
            f"the jugdir '{ctx.jugdir}' serves one process only and cannot be shared by -j "
            "workers; use a file jugdir (the default) or Redis"
        )
    from jugcore.cli import invocation

    argv = list(invocation)  # unchanged: a worker sees JUG_WORKER_INDEX and ignores -j
    with tempfile.TemporaryDirectory(prefix="jug-workers-") as reports:
        show_progress = progress.wants_worker_progress()
        read_fd, write_fd = os.pipe() if show_progress else (None, None)
        procs = []
        for i in range(jobs):
            env = dict(os.environ, **{
                _REPORT_ENV: os.path.join(reports, f"{i}.json"), _INDEX_ENV: str(i), _COUNT_ENV: str(jobs),
                _STARTED_ENV: repr(run_started),
            })
            if show_progress:
                env["JUG_PROGRESS_FD"] = str(write_fd)
            else:
                env["JUG_NO_PROGRESS"] = "1"
            procs.append(subprocess.Popen([sys.executable, "-m", "jugcore", *argv], env=env,
                                          pass_fds=(write_fd,) if show_progress else ()))
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            if show_progress:
                os.close(write_fd)
                codes = progress.follow_workers(procs, read_fd)
                os.close(read_fd)
            else:
                codes = [p.wait() for p in procs]
        finally:
            # Interrupted (Ctrl-C, SIGTERM) or not: no worker outlives the parent.
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                p.wait()
            summary = _merge_reports(reports, jobs)
    print_table([("Executed", summary.executed), ("Loaded", summary.loaded)])
    print_outcome(summary)
    return 0 if all(code == 0 for code in codes) else 1


def _merge_reports(folder, jobs):
    summary = RunSummary()
    failures = {}
    known = Counter()  # per name, the most tasks any one worker accounted for
    for i in range(jobs):
        try:
            with open(os.path.join(folder, f"{i}.json")) as f:
                report = json.load(f)
        except (OSError, ValueError):
            continue  # that worker died; its stderr said why
        summary.executed.update(report["executed"])
        for name in set(report["executed"]) | set(report["loaded"]):
            seen = report["executed"].get(name, 0) + report["loaded"].get(name, 0)
            known[name] = max(known[name], seen)
        summary.blocked.update(report["blocked"])
        summary.failed_elsewhere.update(report["failed_elsewhere"])
        summary.missing_inputs.update(report["missing_inputs"])
        summary.stopped = summary.stopped or report["stopped"]
        summary.gave_up_waiting += report["gave_up_waiting"]
        summary.barrier_unmet = summary.barrier_unmet or report["barrier_unmet"]
        failures.update(report["failures"])  # by key: a task that failed in several workers counts once
    # Every worker ends having executed or loaded each task it knew; what no
    # worker executed was already done.
    summary.loaded = Counter({name: max(0, n - summary.executed[name]) for name, n in known.items()})
    summary.failures = list(failures.values())
    summary.blocked = {k: name for k, name in summary.blocked.items() if k not in failures}
    # A sibling's failure, found in the store by the others, is reported once, as a failure.
    summary.failed_elsewhere = {k: n for k, n in summary.failed_elsewhere.items() if k not in failures}
    return summary


@hookimpl
def jug_register_commands(cli):
    cli.add_command(execute)
