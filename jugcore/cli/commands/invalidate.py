"""`jug invalidate`: remove the results of the chosen tasks and of everything computed from them."""
from collections import Counter

import click

from jugcore.cli.completion import complete_task_name
from jugcore.cli.jugfile_command import jugfile_command
from jugcore.cli.no_match import no_match_message
from jugcore.errors import JugError
from jugcore.run.invalidation import downstream, remove_results
from jugcore.plugins import hookimpl
from jugcore.run.selection import make_selector
from jugcore.cli.tables import print_table


@jugfile_command("invalidate")
@click.option("--name", metavar="NAME", shell_complete=complete_task_name,
              help="Tasks named NAME (module.function, or its tail; * and ? are wildcards).")
@click.option("--pattern", metavar="PATTERN", help="Tasks whose name contains PATTERN, or matches /regex/.")
@click.option("--target", metavar="NAME", hidden=True, help="Deprecated spelling of --name.")
@click.option("--invalid", metavar="NAME", hidden=True, help="Deprecated spelling of --name.")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
def invalidate(ctx, name, pattern, target, invalid, dry_run):
    """Remove the results of the chosen tasks of JUGFILE, and of every task that needs them."""
    option, value = _one_selection(name, pattern, target, invalid)
    select = make_selector(value if option != "--pattern" else None, value if option == "--pattern" else None)
    _, at_barrier = ctx.import_jugfile()
    chosen = [t for t in ctx.tasks if select(t.name)]
    removed = remove_results(ctx.store, downstream(ctx.tasks, chosen), dry_run=dry_run)
    if not chosen:
        click.echo("No results invalidated.")  # Jug 2.7's line, which scripts may look for
        hint = no_match_message(option, value, (t.name for t in ctx.tasks))
        click.echo(hint[0].upper() + hint[1:] + ("" if hint.endswith("?") else "."))
    elif not removed:
        click.echo("No results invalidated (none of the matching tasks, or the tasks that need them, "
                   "had results).")
    else:
        print_table([("Would remove" if dry_run else "Invalidated", Counter(t.name for t in removed))])
    if at_barrier:
        click.echo("jug: warning: the jugfile stops at a barrier, so tasks defined after it are unknown: "
                   "none of them was matched, and results of those that need the invalidated tasks "
                   "were not removed.", err=True)


def _one_selection(name, pattern, target, invalid):
    """(the option the user typed, its value): exactly one of them."""
    given = [(option, value) for option, value in
             (("--name", name), ("--pattern", pattern), ("--target", target), ("--invalid", invalid))
             if value is not None]
    if not given:
        raise JugError("say which tasks to invalidate with --name NAME or --pattern PATTERN", exit_code=2)
    if len(given) > 1:
        raise JugError(f"give one of --name or --pattern, not {' and '.join(option for option, _ in given)}",
                       exit_code=2)
    option = given[0][0]
    if option in ("--target", "--invalid"):
        click.echo(f"jug: warning: {option} is deprecated and means --name; use --name or --pattern", err=True)
    return given[0]


@hookimpl
def jug_register_commands(cli):
    cli.add_command(invalidate)
