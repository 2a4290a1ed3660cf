"""`jug config`: every setting's effective value and where it came from (like
``git config --show-origin``), or one setting's value."""
import click

from jugcore.config import MAIN
from jugcore.plugins import hookimpl
from jugcore.redact import redact


def _format(value):
    """The value as written in a jugrc, with any URL's password masked."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(map(_format, value))
    return "" if value is None else redact(str(value))


def _listing_order(setting):
    return (setting.section != MAIN, setting.section)


@click.command("config")
@click.argument("key", required=False, metavar="[SECTION.]KEY")
@click.option("--show-origin", is_flag=True, help="With KEY: print where the value came from too.")
@click.pass_obj
def config(app, key, show_origin):
    """Show the configuration: every setting as ORIGIN<TAB>SECTION.KEY=VALUE, where
    ORIGIN is file:PATH:LINE, env:NAME or default (the command line beats all of
    them).  With KEY (such as execute.nr-wait-cycles, or jugdir for main.jugdir),
    print that setting's value alone."""
    configuration = app.config
    if key is not None:
        resolved = configuration.lookup(key)
        prefix = f"{resolved.show_origin()}\t" if show_origin else ""
        click.echo(prefix + _format(resolved.value))
        return
    for setting in sorted(configuration.schema.listed.values(), key=_listing_order):
        if setting.param is not None and getattr(setting.param, "hidden", False):
            continue
        resolved = configuration.resolve(setting)
        click.echo(f"{resolved.show_origin()}\t{setting.name}={_format(resolved.value)}")


@hookimpl
def jug_register_commands(cli):
    cli.add_command(config)
