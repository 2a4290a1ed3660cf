"""How `jug execute` tells the user what went wrong and how the run ended."""
import click

from jugcore.redact import redact

__all__ = ["print_failures", "print_outcome"]


def _err(text):
    click.echo(redact(text), err=True)


def print_failures(summary, verbose=False):
    for lost in summary.lease_lost:
        _err(f"jug: {lost.headline()}")
    for failure in summary.failures:
        _err(f"jug: {failure.headline()}")
        details = failure.details(verbose)
        if details:
            _err(details)


def _names(counter_or_list):
    names = sorted(set(counter_or_list))
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def print_outcome(summary):
    """One line per way the run fell short of finishing everything."""
    if summary.unmatched:
        _err(f"jug: {summary.unmatched}")
    if summary.stopped:
        _err(f"jug: stopped early: {summary.stopped}")
    if summary.failures:
        n = len(summary.failures)
        _err(f"jug: {n} task{'s' if n != 1 else ''} failed.")
    if summary.failed_elsewhere:
        _err(f"jug: tasks failed in another worker, or earlier with --keep-failed: "
             f"{_names(summary.failed_elsewhere.values())}. `jug status --failed` shows why; "
             "a later `jug execute` retries those not kept by --keep-failed, `jug cleanup --failed-only` "
             "clears them all.")
    blocked = len(summary.blocked)
    if blocked:
        _err(f"jug: {blocked} task{'s' if blocked != 1 else ''} cannot run because a task "
             f"{'they depend' if blocked != 1 else 'it depends'} on failed "
             f"({_names(summary.blocked.values())}).")
    if summary.missing_inputs:
        _err(f"jug: some selected tasks need results of tasks that were not selected and have none: "
             f"{_names(summary.missing_inputs)}.")
    lost = len(summary.lease_lost)
    if lost:
        # Not a failure (the exit code stays 0): every result is stored, by the workers that took over.
        _err(f"jug: {lost} task{'s' if lost != 1 else ''} ran here but {'were' if lost != 1 else 'was'} "
             f"taken over by other workers after our lease lapsed; our results were discarded and are not "
             f"counted as executed ({_names(t.name for t in summary.lease_lost)}). If tasks hold the GIL "
             "or workers get suspended, use a longer lease (?lease=SECONDS in the jugdir).")
    if summary.barrier_unmet:
        _err(f"jug: {summary.barrier_unmet}.")
    if summary.gave_up_waiting:
        _err(f"jug: gave up waiting for {summary.gave_up_waiting} task(s) other workers hold "
             "(see --wait-cycle-time and --nr-wait-cycles).")
