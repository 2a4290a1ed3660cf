"""What `jug status` says beyond the table: failures and why, locks with owners, JSON."""
import time
from typing import NamedTuple, Optional

import click

from jugcore.cli.jugfile_command import BARRIER_NOTE
from jugcore.stores.failure_record import FailureRecord
from jugcore.run.states import STATES
from jugcore.stores.contract import DEAD, FAILED, LOCKED

__all__ = ["failure_rows", "print_failures", "print_locks", "print_footnotes", "as_json"]


class FailedTaskRow(NamedTuple):
    name: str
    key: str
    record: Optional[FailureRecord]  # None: failed by Jug 2.7, which keeps no reason
    blocks: int  # tasks that wait on it, directly or not

    def headline(self):
        if self.record is None:
            return "(no reason recorded: failed by Jug 2.7 or an older jug)"
        return self.record.headline()

    @property
    def kept(self):
        """Never retried by `jug execute`: failed under --keep-failed (ours or Jug 2.7's)."""
        return self.record is None or self.record.kept


def failure_rows(counts, store):
    keys = counts.keys_in(FAILED)
    records = store.failures_many(keys) if keys else {}
    blocks = {}
    for cause in counts.blocked_by.values():
        blocks[cause] = blocks.get(cause, 0) + 1
    return [FailedTaskRow(counts.tasks[k].name, k.decode(), records.get(k), blocks.get(k, 0)) for k in keys]


def print_failures(rows, verbose=False):
    if not rows:
        click.echo("No failed tasks.")
        return
    click.echo(f"Failed tasks ({len(rows)}):")
    for row in rows:
        click.echo(f"  {row.name} [{row.key[:12]}]: {row.headline()}")
        details = []
        if row.record is not None:
            details.append(f"on {row.record.where()}, {_when(row.record.time)}")
        if row.kept:
            details.append("kept (--keep-failed): not retried")
        if row.blocks:
            details.append(f"blocks {row.blocks} task{'s' if row.blocks != 1 else ''}")
        if details:
            click.echo(f"      {'; '.join(details)}")
        if verbose and row.record is not None and row.record.traceback:
            click.echo("      " + row.record.traceback.replace("\n", "\n      "))
    click.echo("`jug execute` retries those not kept; `jug cleanup --failed-only` clears them all.")


def print_locks(counts):
    held = [(k, info) for k, info in counts.locks.items() if info.state in (LOCKED, DEAD)]
    if not held:
        click.echo("No task is being run.")
        return
    now = time.time()
    for title, state in (("Running", LOCKED), ("Held by workers that are gone (taken over by the next worker)", DEAD)):
        rows = [(k, info) for k, info in held if info.state == state]
        if rows:
            click.echo(f"{title} ({len(rows)}):")
        for key, info in rows:
            age = f", for {_duration(now - info.since)}" if info.since else ""
            beat = f", last heard {_duration(now - info.heartbeat)} ago" if info.heartbeat else ""
            click.echo(f"  {counts.tasks[key].name} [{key.decode()[:12]}]: {info.owner or 'unknown owner'}"
                       f"{age}{beat}")


def print_footnotes(counts, at_barrier):
    if counts.blocked_by:
        n = len(counts.blocked_by)
        click.echo(f"{n} waiting task{'s' if n != 1 else ''} need{'s' if n == 1 else ''} a failed task "
                   "(`jug status --failed` shows why).")
    dead = len(counts.keys_in(DEAD))
    if dead:
        click.echo(f"{dead} lock{'s' if dead != 1 else ''} left by workers that are gone; the next worker "
                   "takes them over (`jug status --active` lists them).")
    if at_barrier:
        click.echo(BARRIER_NOTE)


def as_json(counts, failures, at_barrier):
    names = sorted(set().union(*(counts.by_state[s].keys() for s in STATES)))
    return {
        "complete": counts.all_complete and not at_barrier,
        "stopped_at_barrier": at_barrier,
        "totals": {**{s: counts.total(s) for s in STATES}, "Total": len(counts.tasks)},
        "tasks": {n: {s: counts.by_state[s].get(n, 0) for s in STATES} for n in names},
        "blocked": len(counts.blocked_by),
        "failed": [{"name": r.name, "key": r.key, "error": r.record.headline() if r.record else None,
                    "host": r.record.host if r.record else None, "pid": r.record.pid if r.record else None,
                    "details": dict(r.record.details) if r.record else {},
                    "time": r.record.time if r.record else None, "kept": r.kept, "blocks": r.blocks}
                   for r in failures],
        "active": [{"name": counts.tasks[k].name, "key": k.decode(), "owner": i.owner, "since": i.since,
                    "dead": i.state == DEAD} for k, i in counts.locks.items() if i.state in (LOCKED, DEAD)],
    }


def _when(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def _duration(seconds):
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
