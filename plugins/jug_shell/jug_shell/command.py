"""`jug shell`: IPython with the jugfile's names, their tasks' results at hand,
and the helpers of jug_shell.tools."""
from jugcore.api import JugError, jugfile_command

BANNER = """\
jug shell: the names of {jugfile} are here; tasks load their results with value(task).
  value(x)            the result(s) of a task, or of the tasks inside x
  load_all()          replace every name holding tasks by its results
  invalidate(task)    remove the task's result and those of every task that needs it
  get_tasks()         every task of the jugfile
  get_filtered_tasks(loadable=False, failed=False, available=False)
                      the tasks that are complete / failed / ready to run (any of those asked)
"""


@jugfile_command("shell")
def shell(ctx):
    """Open an IPython shell in JUGFILE's namespace, with helpers to load and invalidate results."""
    start_ipython = _ipython_starter()  # before importing a jugfile that may be slow to import
    from jug_shell.tools import ShellTools

    module, at_barrier = ctx.import_jugfile()
    tools = ShellTools(module, ctx.store, ctx.tasks)
    banner = BANNER.format(jugfile=ctx.jugfile)
    if at_barrier:
        banner += "(The jugfile stops at a barrier: the tasks defined after it do not exist here.)\n"
    start_ipython(argv=[], user_ns=tools.namespace, config=_config(banner))


def _ipython_starter():
    try:
        from IPython import start_ipython
    except ImportError as e:
        raise JugError(f"jug shell needs IPython, which cannot be imported here ({e}). "
                       "Install it with: pip install ipython", exit_code=2) from None
    return start_ipython


def _config(banner):
    from traitlets.config import Config

    config = Config()
    config.TerminalInteractiveShell.banner2 = banner
    return config
