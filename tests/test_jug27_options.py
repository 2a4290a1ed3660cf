"""Every option Jug 2.7's command line accepts, on the root and on each
subcommand, is accepted by ours: the lists are read from Jug 2.7's own parser
(``jug.options.build_parser``, in its venv) and from our click commands."""
import json
import subprocess

import pytest

from jugcore.app import make_app
from jugcore.cli.main import make_cli

_LIST_JUG27_OPTIONS = """
import argparse, json
from jug.options import build_parser
parser = build_parser()
def options(p):
    return sorted(o for a in p._actions for o in a.option_strings)
(commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
print(json.dumps({"": options(parser), **{name: options(sub) for name, sub in commands.choices.items()}}))
"""

HELP = {"-h", "--help"}  # click's, inherited by every command from the root


@pytest.fixture(scope="module")
def jug27_options(jug27_python, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")  # no user commands of the machine's user
    run = subprocess.run([str(jug27_python), "-c", _LIST_JUG27_OPTIONS], capture_output=True, text=True,
                         env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, cwd=home)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def our_options():
    cli = make_app(commands=make_cli).cli
    options = {"": {o for p in cli.params for o in p.opts + p.secondary_opts} | HELP}
    for name, command in cli.commands.items():
        options[name] = {o for p in command.params for o in p.opts + p.secondary_opts if o.startswith("-")} | HELP
    return options


def test_jug27_lists_the_options_we_compare(jug27_options):
    assert "--invalid" in jug27_options["execute"] and "--short" in jug27_options["graph"], jug27_options
    assert "--version" in jug27_options[""]


def test_every_jug27_command_and_option_is_ours(jug27_options, our_options):
    missing = {}
    for command, theirs in jug27_options.items():
        if command not in our_options:
            missing[command] = "command"
            continue
        absent = set(theirs) - our_options[command]
        if absent:
            missing[command] = absent
    assert missing == {}


@pytest.mark.parametrize("command", ["check", "count", "graph", "execute", "invalidate", "cleanup", "test-jug"])
def test_jugs_common_short_is_accepted_by_every_command(command, jug, jugfile):
    folder = jugfile("from jug import TaskGenerator\n@TaskGenerator\ndef one():\n    return 1\nt = one()\n").parent
    extra = {"invalidate": ["--invalid", "one"], "test-jug": ["--quick"]}.get(command, [])
    run = jug(command, *([] if command == "test-jug" else ["jugfile.py"]), "--short", *extra, cwd=folder)
    assert "No such option" not in run.stderr and run.returncode in (0, 1), run


def test_legacy_execute_invalid_selects_like_name(jug, jugfile):
    folder = jugfile("from jug import TaskGenerator\n@TaskGenerator\ndef one():\n    return 1\n"
                     "@TaskGenerator\ndef two():\n    return 2\none()\ntwo()\n").parent
    run = jug("execute", "jugfile.py", "--invalid", "two", cwd=folder)
    assert run.returncode == 0, run
    assert "jugfile.two" in run.stdout and "jugfile.one" not in run.stdout, run
