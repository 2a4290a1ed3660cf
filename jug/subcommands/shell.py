"""``jug.subcommands.shell``: Jug 2's `shell` command object (`jug shell` comes
from the jug-shell plugin; without it, running this says to install it), and
the functions Jug's shell offered, over the jugfile's tasks and the store."""
from jug.subcommands import SubCommand  # noqa: F401  (Jug's module names it)
from jugcore.cli.jug2_commands import ClickCommand
from jugcore.model.task import Task, Tasklet, value
from jugcore.run.invalidation import downstream, remove_results


def load_all(jugspace, local_ns):
    """Put the value of each of ``jugspace``'s names (a jugfile's namespace) in
    ``local_ns``; a name that cannot be loaded yet is said and skipped."""
    for name, obj in jugspace.items():
        if name.startswith("__") and name.endswith("__"):
            continue
        try:
            local_ns[name] = value(obj)
        except Exception as e:
            print(f"Error while loading {name}: {e}")


def invalidate(tasklist, reverse, task):
    """Remove the results of ``task`` and of every task of ``tasklist`` that
    needs it, directly or not.  ``reverse`` (Jug's cache of who needs whom) is
    taken for Jug's signature and left as it is: the dependents are found anew."""
    while isinstance(task, Tasklet):
        task = task.base
    remove_results(Task.store, downstream(tasklist, [task]))


class ShellCommand(ClickCommand):
    """Open an IPython shell with the jugfile's names and results."""

    name = "shell"
    arguments = ("store", "options", "jugspace")


shell = ShellCommand()
