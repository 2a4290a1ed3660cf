"""`jug cleanup`: remove results the jugfile no longer uses, then locks.

On a store shared with other projects (``owns_all_keys`` False: a Redis
database without a prefix), results are removed only with --all-in-db, and
--locks-only / --failed-only touch only the locks of this jugfile's tasks
(with --all-in-db, every lock in the database): another project's running
task must not lose its lock, or it would run twice.
"""
import click

from jugcore.model.task import task_keys
from jugcore.cli.jugfile_command import jugfile_command
from jugcore.errors import JugError
from jugcore.plugins import hookimpl
from jugcore.redact import redact


@jugfile_command("cleanup")
@click.option("--locks-only", is_flag=True,
              help="Remove every lock (on a store shared with other projects, this jugfile's); keep all results.")
@click.option("--failed-only", is_flag=True,
              help="Remove the failed marks (and their records) only (on a shared store, this jugfile's).")
@click.option("--keep-locks", is_flag=True, help="Remove unused results; keep the locks.")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; remove nothing.")
@click.option("--all-in-db", is_flag=True,
              help="For stores shared with other projects (a Redis database without a prefix): "
                   "remove every result this jugfile does not use, whoever wrote it; with --locks-only "
                   "or --failed-only, every lock in the database (otherwise only this jugfile's).")
def cleanup(ctx, locks_only, failed_only, keep_locks, dry_run, all_in_db):
    """Remove the results in the jugdir that no task of JUGFILE uses, then the locks."""
    if locks_only + failed_only + keep_locks > 1:
        raise JugError("--locks-only, --failed-only and --keep-locks exclude each other", exit_code=2)
    store = ctx.open_store()
    verb = "Would remove" if dry_run else "Removed"
    if not dry_run:
        partial = store.remove_dead_temp_files()
        if partial:
            click.echo(f"Removed {partial} partial files of writers that died")
    if failed_only or locks_only:
        count = _clean_locks(store, _lock_scope(ctx, store, all_in_db), failed_only, dry_run)
        click.echo(f"{verb} {count} {'failure locks' if failed_only else 'locks'}")
        return
    unused = _unused_results(ctx, store, all_in_db)
    if not dry_run:
        store.remove_many(unused)
    click.echo(f"{verb} {len(unused)} objects")
    if not keep_locks:
        click.echo(f"{verb} {_clean_locks(store, None, False, dry_run)} locks")


def _clean_locks(store, scope, failed_only, dry_run):
    """Remove (or, ``dry_run``, count) the failed locks, or all locks, of the keys
    ``scope`` (None: every key of the store); how many."""
    listed = store.listlocks() if scope is None else scope
    if failed_only:
        return len(store.failures_many(listed)) if dry_run else len(store.remove_failed_locks(scope))
    return len(store.lock_info_many(listed)) if dry_run else store.remove_locks(scope)


def _lock_scope(ctx, store, all_in_db):
    """None (every lock of the store), or the keys of this jugfile's tasks when the
    store may hold other projects' locks."""
    if store.owns_all_keys or all_in_db:
        return None
    _, at_barrier = ctx.import_jugfile()
    if at_barrier:  # known tasks only: what is left is left alone, never another project's lock removed
        click.echo("jug: warning: the jugfile stops at a barrier, so the locks of the tasks after it are "
                   "left alone (they are unknown). Run `jug execute` past the barrier, or say --all-in-db "
                   "to clean every lock in the database.", err=True)
    return task_keys(ctx.tasks)


def _unused_results(ctx, store, all_in_db):
    _, at_barrier = ctx.import_jugfile()
    if at_barrier:
        raise JugError(
            "the jugfile stops at a barrier, so the tasks defined after it are unknown and cleanup "
            "would delete their results. Run `jug execute` until the barrier is passed, or clean only "
            "locks (--locks-only, --failed-only)."
        )
    if not store.owns_all_keys and not all_in_db:
        raise JugError(
            f"the jugdir '{redact(ctx.jugdir)}' may hold other projects' results, which cleanup cannot tell from "
            "unused ones of this jugfile. Use a jugdir of its own (e.g. a Redis URL with ?prefix=NAME:), "
            "or say --all-in-db to remove every result this jugfile does not use."
        )
    active = set(task_keys(ctx.tasks))
    return [key for key in store.list() if key not in active]


@hookimpl
def jug_register_commands(cli):
    cli.add_command(cleanup)
