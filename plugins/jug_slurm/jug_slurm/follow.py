"""`jug submit --follow` and `jug follow`: the run's progress and its jobs'
states until it ends; exit 0 when every task is complete, 1 when the jobs
ended first (with how many tasks are left, and why)."""
import time

import click
from jugcore.api import JugError, jugfile_command

from jug_slurm.jobs import ENDED_STATES, GONE, query_states
from jug_slurm.jugdir import jugdir_for_workers
from jug_slurm.project import Project

__all__ = ["follow_run", "follow"]

# Why an array element ended, for people.
_WHY = {"TIMEOUT": "reached its time limit", "CANCELLED": "was cancelled", "FAILED": "failed",
        "OUT_OF_MEMORY": "ran out of memory", "NODE_FAIL": "lost its node", "PREEMPTED": "was preempted",
        "BOOT_FAIL": "could not start its node", "DEADLINE": "missed its deadline",
        GONE: "ended (Slurm no longer knows how)"}


@jugfile_command("follow")
@click.option("--poll", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds between two looks at the run.")
def follow(ctx, poll):
    """Follow the Slurm jobs `jug submit` submitted for JUGFILE until they end (as `jug submit --follow`)."""
    jugdir = jugdir_for_workers(ctx.app, ctx.jugdir, 1)
    submissions = Project(ctx.jugfile).submissions(jugdir)
    if not submissions:
        raise JugError(f"no job was submitted for {ctx.jugfile} with jugdir {jugdir}: start one with "
                       f"`jug submit {ctx.jugfile} --workers N --follow`")
    states = _element_states(submissions)
    live = [s for s in submissions if any(states[e] not in ENDED_STATES for e in s.elements())]
    raise SystemExit(follow_run(ctx, live or submissions[-1:], poll))


def follow_run(ctx, submissions, poll):
    """Follow the jobs of ``submissions`` and the tasks of ``ctx``'s jugfile;
    returns the exit code."""
    from jugcore.api import count_states  # the task machinery: not for every `jug` start

    imported = ctx.import_jugfile()
    progress = _Progress()
    shown = None
    while True:
        states = _element_states(submissions)  # before the tasks: jobs seen ended have written their last
        counts = count_states(ctx.tasks, ctx.store)
        total, done, failed = len(counts.tasks), counts.total("Complete"), counts.total("Failed")
        line = f"jug: {done}/{total} done, {failed} failed{progress.eta(done, total)} | {_jobs_line(states)}"
        if line != shown:
            click.echo(line)
            shown = line
        if counts.all_complete and not imported.at_barrier:
            # The workers that ran the last tasks end moments later, their summaries written
            # to their logs: wait for those (not for elements still pending: they would
            # start only to find nothing to do).
            if any(state not in ENDED_STATES and state != "PENDING" for state in states.values()):
                time.sleep(poll)
                continue
            click.echo(f"All {total} tasks complete.")
            return 0
        passable = imported.at_barrier and counts.all_complete  # the workers go on past the barrier
        ended = all(state in ENDED_STATES for state in states.values())
        if ended and not passable:
            _report_left(total - done, failed, states, submissions, ctx.jugfile)
            return 1
        if not ended:
            time.sleep(poll)
        if passable:
            imported = ctx.import_jugfile()  # the tasks after the barrier exist once those before it ran


class _Progress:
    """The rate of completion since following began, for an ETA."""

    def __init__(self):
        self.first = None  # (time, done)

    def eta(self, done, total):
        now = time.monotonic()
        if self.first is None:
            self.first = (now, done)
        since, done_then = self.first
        if done <= done_then or done >= total:
            return ""
        left = (total - done) * (now - since) / (done - done_then)
        return f", ETA {int(left) // 60}:{int(left) % 60:02d}"


def _element_states(submissions):
    """{element ('12_3'): state} of every array element of ``submissions``."""
    try:
        known = query_states({s.job for s in submissions})
    except JugError as e:
        raise JugError(f"{e} (the jobs may still run: look again with `jug status`)") from None
    return {element: known.get(element, GONE) for s in submissions for element in s.elements()}


def _jobs_line(states):
    pending = sum(state == "PENDING" for state in states.values())
    ended = sum(state in ENDED_STATES for state in states.values())
    return f"jobs: {pending} pending, {len(states) - pending - ended} running, {ended} ended"


def _report_left(left, failed, states, submissions, jugfile):
    click.echo(f"The jobs ended with {left} task{'s' if left != 1 else ''} left:", err=True)
    if failed:
        click.echo(f"  {failed} failed (`jug status {jugfile} --failed` shows why)", err=True)
    elif all(state == "COMPLETED" for state in states.values()):
        click.echo("  the workers stopped before the end (their logs say why)", err=True)
    logs = {element: s.log_of(element) for s in submissions for element in s.elements()}
    for element, state in states.items():
        if state != "COMPLETED":
            why = _WHY.get(state, state.lower())
            click.echo(f"  job {element} {why} (log: {logs[element]})", err=True)
    click.echo(f"Run them with `jug submit {jugfile}` again.", err=True)
