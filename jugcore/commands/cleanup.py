"""`jug cleanup`: remove results the jugfile no longer uses, then locks."""
import click

from jugcore import task
from jugcore.commands.common import jugfile_command
from jugcore.errors import JugError
from jugcore.plugins import hookimpl
from jugcore.store import redact


@jugfile_command("cleanup")
@click.option("--locks-only", is_flag=True, help="Remove every lock; keep all results.")
@click.option("--failed-only", is_flag=True, help="Remove the failed marks (and their records) only.")
@click.option("--keep-locks", is_flag=True, help="Remove unused results; keep the locks.")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; remove nothing.")
@click.option("--all-in-db", is_flag=True,
              help="For stores shared with other projects (a Redis database without a prefix): "
                   "remove every result this jugfile does not use, whoever wrote it.")
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
    if failed_only:
        failed = [k for k in store.listlocks() if store.getlock(k).is_failed()] if dry_run \
            else store.remove_failed_locks()
        click.echo(f"{verb} {len(failed)} failure locks")
        return
    if not locks_only:
        unused = _unused_results(ctx, store, all_in_db)
        if not dry_run:
            store.remove_many(unused)
        click.echo(f"{verb} {len(unused)} objects")
    if not keep_locks:
        count = len(list(store.listlocks())) if dry_run else store.remove_locks()
        click.echo(f"{verb} {count} locks")


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
    active = {t.hash() for t in task.alltasks}
    return [key for key in store.list() if key not in active]


@hookimpl
def jug_register_commands(cli):
    cli.add_command(cleanup)
