"""`jug test-jug`: check this installation, the store contract on every
installed store and a small jugfile run end to end on each, one line per check."""
import os

import click

from jugcore import __version__
from jugcore.cli.jugfile_command import jug2_common_options
from jugcore.errors import JugError
from jugcore.plugins import hookimpl
from jugcore.redact import redact

CHECKS = ("store contract", "jugfile run")


@jug2_common_options
@click.command("test-jug")
@click.option("--quick", is_flag=True,
              help="Run the short built-in store check even where pytest-jug's full contract is installed.")
@click.option("--verbose", is_flag=False, flag_value="info", default=None, metavar="[LEVEL]",
              help="Show pytest's report of each contract run.")
@click.pass_obj
def self_check(app, quick, verbose):
    """Check this installation: the store contract on every installed store, and a
    small jugfile run end to end on each. Exits 1 if a check fails."""
    import platform  # here, not at the top: every `jug` command imports this module
    import tempfile

    from jugcore.cli.self_check.contract import contract_runner
    from jugcore.cli.self_check.outcome import FAIL, PASS, SKIP, Outcome
    from jugcore.cli.self_check.plan import targets

    runner = contract_runner(quick)
    click.echo(f"jugcore {__version__} on Python {platform.python_version()}; store contract: {runner.name}")
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="jug-test-jug-") as root:
        for number, target in enumerate(targets(app)):
            if target.check.skipped:
                outcomes.append(_show(Outcome(SKIP, target.check.skipped), f"checks on {target.scheme}", False))
                continue
            for kind in CHECKS:
                folder = os.path.join(root, f"{number}-{kind.replace(' ', '-')}")
                os.mkdir(folder)
                outcome = _check(app, runner, kind, target, folder)
                label = f"{kind} on {target.scheme} ({redact(target.check.jugdir)})"
                outcomes.append(_show(outcome, label, verbose))
    counts = {status: sum(o.status == status for o in outcomes) for status in (PASS, FAIL, SKIP)}
    click.echo(f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[SKIP]} skipped")
    if counts[FAIL]:
        raise SystemExit(1)


def _show(outcome, label, verbose):
    click.echo(outcome.line(label))
    if verbose and outcome.report:
        click.echo(outcome.report)
    return outcome


def _check(app, runner, kind, target, folder):
    from jugcore.cli.self_check.folder import inside
    from jugcore.cli.self_check.jugfile_run import run_jugfile
    from jugcore.cli.self_check.outcome import FAIL, Outcome
    from jugcore.stores.self_check import fresh_jugdir

    try:
        with inside(folder):  # a store that cannot open at all says why in one line, not in every test
            app.open_store(fresh_jugdir(target.check.jugdir)).close()
        if kind == "store contract":
            return runner.run(app, target.check, folder)
        return run_jugfile(app, target.check, target.backend, folder)
    except JugError as e:  # a store that cannot open (a server down): the check fails, not the command
        return Outcome(FAIL, redact(str(e)))
    except Exception as e:  # a store that breaks in a way the contract does not name
        return Outcome(FAIL, redact(f"{type(e).__name__}: {e}"))


@hookimpl
def jug_register_commands(cli):
    cli.add_command(self_check)
