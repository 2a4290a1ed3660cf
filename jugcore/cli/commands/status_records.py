"""What `jug status` says from run records: per-task rows for --json, timings
per task name, and results made by code that has changed since.

Records are read once, for the complete tasks only (a record means nothing
without its result); results without one (Jug 2.7's) are "unknown" here,
never "changed".
"""
from collections import defaultdict
from operator import attrgetter

import click

from jugcore.cli.task_label import task_label
from jugcore.cli.times import seconds as _seconds, when as _when
from jugcore.model.fingerprint import code_fingerprint, comparable
from jugcore.stores.run_record import read_run_records

__all__ = ["complete_records", "changed_results", "changed_tasks", "print_changed_note", "print_changed", "print_timings",
           "task_rows", "SLOWEST"]

SLOWEST = 10  # tasks listed by --timings


def complete_records(counts, store):
    """{key: RunRecord} of the complete tasks that have one."""
    return read_run_records(store, [k for k in counts.tasks if k in counts.complete])


def changed_results(by_key, store, records=None, complete=None):
    """{task name: [keys]} of the results of tasks in ``by_key`` whose record
    (from ``records``, else read from ``store`` for the keys in ``complete``,
    or all) names other code than the task function has now (both
    fingerprints known, same Python).  Records are read only when the
    store's recorded codes say some may differ."""
    if records is None:
        if not _codes_may_differ(by_key.values(), store.recorded_codes()):
            return {}
        records = read_run_records(store, [k for k in by_key if complete is None or k in complete])
    changed = defaultdict(list)
    for key, record in records.items():
        t = by_key[key]
        now = code_fingerprint(t.f)
        if now != record.code and comparable(now, record.code):
            changed[t.name].append(key)
    return dict(changed)


def changed_tasks(tasks, store):
    """The tasks of ``tasks`` whose results were computed by other code (`jug invalidate --changed`)."""
    by_key = {t.hash(): t for t in tasks}
    changed = changed_results(by_key, store)
    return [by_key[k] for keys in changed.values() for k in keys]


def _codes_may_differ(tasks, recorded):
    """Whether some (name, code) pair in ``recorded`` (None: unknown) names a
    task of ``tasks`` with a code comparable to, and other than, its code now."""
    if recorded is None:
        return True
    if not recorded:
        return False
    current = defaultdict(set)
    for name, f in set(map(attrgetter("name", "f"), tasks)):  # a few distinct functions, however many tasks
        current[name].add(code_fingerprint(f))
    return any(code not in current[name] and any(comparable(code, now) for now in current[name])
               for name, code in recorded if name in current)


def print_changed_note(changed):
    for name, keys in changed.items():
        n = len(keys)
        click.echo(f"{n} result{'s' if n != 1 else ''} of {name} {'were' if n != 1 else 'was'} computed by a "
                   "different version of its code: `jug status --changed` lists them, `jug invalidate "
                   "--changed` removes them and what depends on them.")


def print_changed(counts, changed, records):
    if not changed:
        click.echo("No result was computed by a different version of its task's code "
                   "(results without a run record, such as Jug 2.7's, are not judged).")
        return
    total = sum(map(len, changed.values()))
    click.echo(f"Computed by a different version of the code ({total}):")
    for keys in changed.values():
        for key in keys:
            record = records[key]
            click.echo(f"  {task_label(counts.tasks[key])} [{key.decode()[:12]}]: computed {_when(record.finished)} "
                       f"on {record.host}")


def print_timings(counts, records):
    if not records:
        click.echo("No run records: no task has been run by a store that keeps them "
                   "(results of Jug 2.7 have none).")
        return
    by_name = defaultdict(list)
    for key, record in records.items():
        by_name[counts.tasks[key].name].append(record.duration)
    click.echo(f"{'Count':>8}  {'Total':>10}  {'Mean':>10}  {'Max':>10}  Task name")
    for name in sorted(by_name, key=lambda n: -sum(by_name[n])):
        durations = by_name[name]
        total = sum(durations)
        click.echo(f"{len(durations):>8}  {_seconds(total):>10}  {_seconds(total / len(durations)):>10}  "
                   f"{_seconds(max(durations)):>10}  {name}")
    slowest = sorted(records.items(), key=lambda item: -item[1].duration)[:SLOWEST]
    click.echo(f"Slowest tasks ({len(slowest)}):")
    for key, record in slowest:
        click.echo(f"  {_seconds(record.duration):>10}  {task_label(counts.tasks[key])} [{key.decode()[:12]}] "
                   f"on {record.host}")
    unknown = len(counts.complete) - len(records)
    if unknown:
        click.echo(f"({unknown} complete result{'s' if unknown != 1 else ''} without a run record: not counted.)")


def task_rows(counts, records, changed):
    """One dict per task for `jug status --json`: state, and from its record
    duration, host, finish time (None when unknown) and whether its code changed."""
    changed_keys = {k for keys in changed.values() for k in keys}
    rows = []
    for key, t in counts.tasks.items():
        record = records.get(key)
        rows.append({
            "name": t.name, "key": key.decode(), "state": counts.state_of(key),
            "duration": record.duration if record else None, "host": record.host if record else None,
            "finished": record.finished if record else None,
            "code_changed": (key in changed_keys) if record else None,
        })
    return rows


