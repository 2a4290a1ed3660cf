"""A plugin written against the guides as they were before jugcore.api (store
and command imported from jugcore.store, jugcore.plugins, jugcore.config,
jugcore.commands.common; an opener taking the URL alone) still works in a
real `jug`, and its author is told of the new names only where developers
look (DeprecationWarning: hidden from users, shown by pytest)."""
import os
import subprocess
import sys

from pytest_jug import make_distribution, sample_jugfile, summary_table

OLD_STYLE_PLUGIN = '''
import click

from jugcore.commands.common import jugfile_command
from jugcore.config import get_setting
from jugcore.plugins import hookimpl
from jugcore.store import StoreBackend


def _open(url):
    from jug_dictstore.store import DictStore

    return DictStore(None)


@hookimpl
def jug_store_backends():
    return [StoreBackend("oldstyle", _open, "a store written before jugcore.api", shared_between_processes=False)]


@hookimpl
def jug_add_settings(settings):
    settings.add("oldstyle", "greeting", type=str, default="hello")


@jugfile_command("tally")
def tally(ctx):
    ctx.import_jugfile()
    click.echo(f"{get_setting('oldstyle.greeting')}: {len(ctx.tasks)} tasks")


@hookimpl
def jug_register_commands(cli):
    cli.add_command(tally)
'''


def test_a_plugin_using_the_old_paths_still_works(jug, site, tmp_path):
    root, env = site
    make_distribution(root, "oldstyle", "1.0", {"oldstyle": "oldstyle_plugin"}, {"oldstyle_plugin": OLD_STYLE_PLUGIN})
    (tmp_path / "jugfile.py").write_text(sample_jugfile(n=3))
    run = jug("execute", "jugfile.py", "--jugdir", "oldstyle:", cwd=tmp_path, env=env)
    assert run.returncode == 0 and "Warning" not in run.stderr, run  # users see no deprecation noise
    assert summary_table(run.stdout)["jugfile.double"][0] == 3, run
    tally = jug("tally", "jugfile.py", cwd=tmp_path, env=env)
    assert tally.returncode == 0 and tally.stdout.strip() == "hello: 4 tasks", tally


def test_the_old_paths_warn_developers(site):
    root, env = site
    make_distribution(root, "oldstyle", "1.0", {"oldstyle": "oldstyle_plugin"}, {"oldstyle_plugin": OLD_STYLE_PLUGIN})
    checked = subprocess.run([sys.executable, "-W", "always::DeprecationWarning", "-c", "import oldstyle_plugin"],
                             env={**os.environ, **env}, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    for old in ("jugcore.commands.common", "jugcore.store", "jugcore.config.get_setting"):
        assert f"{old} is now" in checked.stderr and "jugcore.api" in checked.stderr, checked.stderr
