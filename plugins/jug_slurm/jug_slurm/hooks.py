"""jug-slurm's hooks: the commands `jug submit`, `jug follow` and `jug cancel`, the
worker's job in its owner record, and locks of ended jobs judged dead."""
from jugcore.api import hookimpl


@hookimpl
def jug_register_commands(cli):
    from jug_slurm.cancel import cancel
    from jug_slurm.follow import follow
    from jug_slurm.submit import submit

    cli.add_command(submit)
    cli.add_command(follow)
    cli.add_command(cancel)


@hookimpl
def jug_add_settings(settings):
    settings.add("slurm", "query-interval", type=float, default=10.0,
                 help="Seconds between two squeue calls of one process judging locks by their Slurm job.")


@hookimpl
def jug_owner_details():
    from jug_slurm.owners import worker_details

    return worker_details()


@hookimpl
def jug_owner_alive(owner):
    if not owner.details:
        return None  # the common case, without importing anything
    from jug_slurm.owners import job_alive

    return job_alive(owner)
