"""`jug execute -j N`: start N workers on this machine and print one table for all."""
import json
import os
import signal
import sys
from collections import Counter

import click

from jugcore.builtin import progress
from jugcore.cli.commands.execute_run import COUNT_ENV, INDEX_ENV, REPORT_ENV, STARTED_ENV, exit_on_sigterm
from jugcore.cli.run_report import print_outcome
from jugcore.errors import JugError
from jugcore.run.scheduler import LostLease, RunSummary
from jugcore.redact import redact
from jugcore.stores.contract import select_backend
from jugcore.cli.tables import print_table

__all__ = ["run_workers"]

# Workers start as `python -c`, whose first sys.path entry (the current folder)
# is dropped before anything is imported: a `jugcore/` or `jug/` folder there
# must not stand in for ours (`python -m jugcore` would put it first).
_WORKER_MAIN = "import sys; del sys.path[0]; from jugcore.cli import main; main()"


def run_workers(ctx, jobs, run_started):
    """Start ``jobs`` copies of this command (without -j); print one combined table."""
    import subprocess
    import tempfile

    backend, _ = select_backend(ctx.pm, ctx.jugdir)
    if not backend.shared_between_processes:
        raise JugError(
            f"the jugdir '{redact(ctx.jugdir)}' serves one process only and cannot be shared by -j "
            "workers; use a file jugdir (the default) or Redis"
        )
    from jugcore.cli import CONFIG_CHECKED_ENV, invocation

    argv = list(invocation)  # unchanged: a worker sees JUG_WORKER_INDEX and ignores -j
    with tempfile.TemporaryDirectory(prefix="jug-workers-") as reports:
        show_progress = progress.wants_worker_progress()
        read_fd, write_fd = os.pipe() if show_progress else (None, None)
        procs = []
        for i in range(jobs):
            env = dict(os.environ, **{
                REPORT_ENV: os.path.join(reports, f"{i}.json"), INDEX_ENV: str(i), COUNT_ENV: str(jobs),
                STARTED_ENV: repr(run_started), CONFIG_CHECKED_ENV: "1",
            })
            if show_progress:
                env["JUG_PROGRESS_FD"] = str(write_fd)
            else:
                env["JUG_NO_PROGRESS"] = "1"
            procs.append(subprocess.Popen([sys.executable, "-c", _WORKER_MAIN, *argv], env=env,
                                          pass_fds=(write_fd,) if show_progress else ()))
        signal.signal(signal.SIGTERM, exit_on_sigterm)
        try:
            if show_progress:
                os.close(write_fd)
                progress.follow_workers(procs, read_fd)
                os.close(read_fd)
            else:
                for p in procs:
                    p.wait()
        finally:
            # Interrupted (Ctrl-C, SIGTERM) or not: no worker outlives the parent.
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                p.wait()
            summary, silent = _merge_reports(reports, jobs)
    print_table([("Executed", summary.executed), ("Loaded", summary.loaded)])
    print_outcome(summary)
    for i in silent:
        click.echo(f"jug: worker {i + 1} of {jobs} {_how_it_ended(procs[i].returncode)} without reporting "
                   "what it did; its messages, if any, are above.", err=True)
    return 0 if not silent and all(p.returncode == 0 for p in procs) else 1


def _how_it_ended(code):
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def _merge_reports(folder, jobs):
    summary = RunSummary()
    failures = {}
    silent = []  # workers that wrote no report
    known = Counter()  # per name, the most tasks any one worker accounted for
    for i in range(jobs):
        try:
            with open(os.path.join(folder, f"{i}.json")) as f:
                report = json.load(f)
        except (OSError, ValueError):
            silent.append(i)
            continue
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
        summary.lease_lost.extend(LostLease(*lost) for lost in report["lease_lost"])
        failures.update(report["failures"])  # by key: a task that failed in several workers counts once
    # Every worker ends having executed or loaded each task it knew; what no
    # worker executed was already done.
    summary.loaded = Counter({name: max(0, n - summary.executed[name]) for name, n in known.items()})
    summary.failures = list(failures.values())
    summary.blocked = {k: name for k, name in summary.blocked.items() if k not in failures}
    # A sibling's failure, found in the store by the others, is reported once, as a failure.
    summary.failed_elsewhere = {k: n for k, n in summary.failed_elsewhere.items() if k not in failures}
    return summary, silent
