"""What `jug show` prints: one task in full, its arguments, state,
dependencies, run record and failure (the command itself is show.py).

TASK is a task name (as `jug invalidate --name` matches it), ``name[index]``
(the index-th task of that name, in the order the jugfile creates them;
negative from the end), or a prefix of a task key.
"""
import re

import click

from jugcore.cli.task_label import named_arguments, short_repr, task_label
from jugcore.cli.times import seconds, when
from jugcore.errors import JugError
from jugcore.model.fingerprint import code_fingerprint, comparable
from jugcore.run.selection import name_matcher
from jugcore.run.states import count_states
from jugcore.stores.contract import FAILED, LOCKED
from jugcore.stores.run_record import read_run_records

_INDEXED = re.compile(r"^(.+)\[(-?\d+)\]$")
_KEY_PREFIX = re.compile(r"^[0-9a-f]{4,40}$")
_LISTED = 20  # candidates shown when TASK matches several tasks


__all__ = ["show_task"]


def show_task(ctx, wanted):
    """Import the jugfile of ``ctx`` and print the task ``wanted`` names."""
    ctx.import_jugfile()
    counts = count_states(ctx.tasks, ctx.store)
    key, t = _find(counts.tasks, wanted)
    _print_task(ctx, counts, key, t)


def _find(by_key, wanted):
    """(key, task) that ``wanted`` names; a clear error when none or several do."""
    if _KEY_PREFIX.match(wanted):
        found = [(k, t) for k, t in by_key.items() if k.decode().startswith(wanted)]
        if found:
            return _one(found, wanted)
    indexed = _INDEXED.match(wanted)
    name = indexed.group(1) if indexed else wanted
    matches = name_matcher(name)
    found = [(k, t) for k, t in by_key.items() if matches(t.name)]
    if not found:
        raise JugError(f"no task of the jugfile is named {name!r} or has a key starting with {wanted!r}; "
                       "`jug status` lists the task names", exit_code=2)
    if indexed:
        index = int(indexed.group(2))
        if not -len(found) <= index < len(found):
            raise JugError(f"{wanted}: there are {len(found)} tasks named {name} (indexes 0 to {len(found) - 1})",
                           exit_code=2)
        return found[index]
    return _one(found, wanted)


def _one(found, wanted):
    if len(found) == 1:
        return found[0]
    listed = "\n".join(f"  [{i}] {task_label(t)} [{k.decode()[:12]}]" for i, (k, t) in enumerate(found[:_LISTED]))
    more = f"\n  ... and {len(found) - _LISTED} more" if len(found) > _LISTED else ""
    raise JugError(f"{wanted} matches {len(found)} tasks; name one as NAME[index] or by a key prefix:\n"
                   f"{listed}{more}", exit_code=2)


def _print_task(ctx, counts, key, t):
    state = counts.state_of(key)
    click.echo(task_label(t))
    click.echo(f"  key:          {key.decode()}")
    click.echo(f"  state:        {state}{_lock_note(counts.locks.get(key))}")
    _print_arguments(t)
    _print_dependencies(counts, t)
    record = read_run_records(ctx.store, [key]).get(key) if state == "Complete" else None
    click.echo(f"  run record:   {_describe_record(record, t) if record else _no_record(state)}")
    if state == "Failed":
        failure = ctx.store.failures_many([key]).get(key)
        click.echo(f"  failure:      {failure.headline() if failure else '(no reason recorded: failed by Jug 2.7)'}")
        if failure is not None:
            click.echo(f"                on {failure.host} pid {failure.pid}, {when(failure.time)}")
            click.echo("    " + failure.traceback.rstrip().replace("\n", "\n    "))


def _print_arguments(t):
    named = named_arguments(t)
    if not named:
        click.echo("  arguments:    (none)")
        return
    click.echo("  arguments:")
    for i, (name, value) in enumerate(named):
        click.echo(f"    {name if name is not None else f'[{i}]'} = {short_repr(value)}")


def _print_dependencies(counts, t):
    deps = {d.hash(): d for d in t.dependencies()}
    if not deps:
        click.echo("  dependencies: (none)")
        return
    click.echo(f"  dependencies ({len(deps)}):")
    for dep_key, dep in deps.items():
        state = counts.state_of(dep_key) if dep_key in counts.tasks else "?"
        click.echo(f"    {task_label(dep)} [{dep_key.decode()[:12]}]: {state}")


def _describe_record(record, t):
    now = code_fingerprint(t.f)
    if not comparable(now, record.code):
        code = "unknown whether its code changed since"
    elif now == record.code:
        code = "the same code as now"
    else:
        code = "a DIFFERENT version of its code than now (`jug invalidate --changed` removes it)"
    rss = f", peak RSS {record.peak_rss / 2 ** 20:.1f} MiB" if record.peak_rss else ""
    return (f"on {record.host} pid {record.pid}, started {when(record.started)}, ran {seconds(record.duration)}"
            f"{rss}, jugcore {record.version}; computed by {code}")


def _no_record(state):
    if state == "Complete":
        return "(none: computed by Jug 2.7, or by a store that keeps no records)"
    return "(none: no result yet)"


def _lock_note(info):
    if info is None or info.state == FAILED:
        return ""
    held = "held by" if info.state == LOCKED else "left by a worker that is gone:"
    return f" ({held} {info.owner or 'unknown owner'})"
