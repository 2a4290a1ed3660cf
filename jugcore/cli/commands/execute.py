"""`jug execute`: the command line.  The work is in execute_run (one worker) and
execute_workers (-j N), imported when the command runs: every `jug` command
loads this module, and only `jug execute` needs the scheduler."""
import click

from jugcore.cli.completion import complete_task_name
from jugcore.cli.jugfile_command import jugfile_command
from jugcore.plugins import hookimpl
from jugcore.run.worker_spec import split_worker_spec


class ExecuteCommand(click.Command):
    """`jug execute` keeps the arguments it was given (`-j N` starts its workers
    with the same) and, in a worker, takes the worker spec in front of them."""

    def parse_args(self, ctx, args):
        ctx.meta["jug.worker_spec"], args = split_worker_spec(args)
        ctx.meta["jug.execute_args"] = list(args)
        return super().parse_args(ctx, args)


@jugfile_command("execute", cls=ExecuteCommand, context_settings={"ignore_unknown_options": False})
@click.option("--name", metavar="NAME", shell_complete=complete_task_name,
              help="Only tasks named NAME (module.function, or its tail; * and ? are wildcards).")
@click.option("--target", "--invalid", hidden=True, help="Deprecated spelling of --name.")
@click.option("--pattern", metavar="PATTERN", help="Only tasks whose name contains PATTERN, or matches /regex/.")
@click.option("--keep-going", is_flag=True, help="After a task fails, go on with the tasks that do not need it.")
@click.option("--keep-failed", is_flag=True,
              help="Keep this run's failures: no later run retries them until `jug cleanup --failed-only`.")
@click.option("--wait-cycle-time", type=float, default=12.0, show_default=True, metavar="SECONDS",
              help="Longest pause between looks at tasks other workers hold.")
@click.option("--nr-wait-cycles", type=int, default=150, show_default=True, metavar="N",
              help="Give up after N wait cycles with no progress.")
@click.option("--no-check-environment", is_flag=True,
              help="Ignore the stop file and the JUG_MAX_* / JUG_EXIT_IF_FILE_EXISTS limits.")
@click.option("--run-records/--no-run-records", default=True, show_default=True,
              help="Keep a run record (host, pid, times, peak memory, code fingerprint) with each result, for "
                   "status --timings/--changed, show and webstatus.  Off saves a microsecond or two per task.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, metavar="N",
              help="Run N worker processes on this machine, sharing the jugdir.")
def execute(ctx, name, target, pattern, keep_going, keep_failed, wait_cycle_time, nr_wait_cycles,
            no_check_environment, run_records, jobs):
    """Run the tasks of JUGFILE that have no result yet; ARGS reach the jugfile in sys.argv."""
    from jugcore.cli.commands.execute_run import execute_command

    meta = click.get_current_context().meta
    execute_command(ctx, meta["jug.worker_spec"], meta["jug.execute_args"], name=name, target=target,
                    pattern=pattern, keep_going=keep_going, keep_failed=keep_failed,
                    wait_cycle_time=wait_cycle_time, nr_wait_cycles=nr_wait_cycles,
                    no_check_environment=no_check_environment, run_records=run_records, jobs=jobs)


@hookimpl
def jug_register_commands(cli):
    cli.add_command(execute)
