"""Jug 2's user subcommands: a ``SubCommand`` in ``~/.config/jug/jug_user_commands.py``
is a `jug` command (its own options, Jug's common ones, the jugfile's
namespace and store), and a file or command that is wrong is named in one
warning while every other command keeps working.  The same file also works
under Jug 2.7, which is what makes it a drop-in."""
import os
import textwrap

import pytest

REPORT_COMMAND = """\
from jug import value
from jug.subcommands import SubCommand


class Report(SubCommand):
    \"\"\"Write the results of `results` to a file.

    Shown in `jug --help` by its first line only.\"\"\"

    name = "report"

    def parse(self, parser):
        parser.add_argument("--to", dest="report_to", help="the file to write")

    def parse_defaults(self):
        return {"report_to": "report.txt"}

    def run(self, options, store, jugspace, *args, **kwargs):
        with open(options.report_to, "w") as f:
            f.write(repr([value(t) for t in jugspace["results"]]))
        print("jugdir", options.jugdir, "short", options.short, "store", store.can_load(jugspace["results"][0].hash()))
        return 3


report = Report()
"""

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def double(x):
    return 2 * x

results = [double(i) for i in range(3)]
"""


@pytest.fixture
def project(tmp_path, jug):
    """(folder with a finished jugfile, environment whose user folder holds ``write(text)``)."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "jugfile.py").write_text(JUGFILE)
    home = tmp_path / "home"
    config = home / ".config" / "jug"
    config.mkdir(parents=True)
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    assert jug("execute", "jugfile.py", cwd=folder, env=env).returncode == 0

    def write(text):
        (config / "jug_user_commands.py").write_text(textwrap.dedent(text))

    return folder, env, write


@pytest.mark.parametrize("implementation", ["ours", "jug27"])
def test_a_user_command_runs_with_its_options_the_namespace_and_the_store(implementation, project, jug, jug27):
    folder, env, write = project
    write(REPORT_COMMAND)
    exe, extra = (None, []) if implementation == "ours" else (jug27, ["--will-cite"])
    run = jug("report", "jugfile.py", "--to", "out.txt", "--short", *extra, cwd=folder, env=env, jug=exe)
    assert run.returncode == 3, run  # run()'s return value is the exit code
    assert (folder / "out.txt").read_text() == "[0, 2, 4]"
    assert "jugdir jugfile.jugdata short True store True" in run.stdout, run
    run = jug("report", "jugfile.py", *extra, cwd=folder, env=env, jug=exe)
    assert (folder / "report.txt").read_text() == "[0, 2, 4]", run  # parse_defaults


def test_a_user_command_is_listed_with_the_first_line_of_its_docstring(project, jug):
    folder, env, write = project
    write(REPORT_COMMAND)
    run = jug("--help", cwd=folder, env=env)
    assert "report" in run.stdout and "Write the results of `results` to a file." in run.stdout, run
    run = jug("report", "--help", cwd=folder, env=env)
    assert run.returncode == 0 and "--to REPORT_TO" in run.stdout, run


def test_a_user_commands_file_that_fails_is_named_and_the_rest_works(project, jug):
    folder, env, write = project
    write(REPORT_COMMAND + "\nraise RuntimeError('half-written')\n")
    run = jug("status", "jugfile.py", cwd=folder, env=env)
    assert run.returncode == 0, run
    assert run.stderr.startswith("jug: warning: the user commands file "), run
    assert "jug_user_commands.py failed to load (RuntimeError: half-written); its commands are missing" in run.stderr
    assert "Traceback" not in run.output


@pytest.mark.parametrize("body, says", [
    ("class Bad(SubCommand):\n    name = 'bad'\n    def run(self, *a, **k):\n        pass\nBad()\n",
     "the command 'bad' of {path} is not added: Bad has no docstring"),
    ("class Execute(SubCommand):\n    'Mine.'\n    name = 'execute'\n    def run(self, *a, **k):\n        pass\n"
     "Execute()\n",
     "the command 'execute' of {path} is not added: two plugins define the command 'jug execute'"),
])
def test_a_command_that_breaks_the_api_is_named_and_the_rest_works(body, says, project, jug):
    folder, env, write = project
    write("from jug.subcommands import SubCommand\n" + body)
    run = jug("check", "jugfile.py", cwd=folder, env=env)
    assert run.returncode == 0, run
    path = f"{env['XDG_CONFIG_HOME']}/jug/jug_user_commands.py"
    assert says.format(path=path) in run.stderr, run


def test_a_run_without_the_jug_arguments_is_explained(project, jug):
    folder, env, write = project
    write("from jug.subcommands import SubCommand\n"
          "class Old(SubCommand):\n    'Old style.'\n    name = 'old'\n    def run(self):\n        pass\nOld()\n")
    run = jug("old", "jugfile.py", cwd=folder, env=env)
    assert run.returncode != 0, run
    assert "Old.run in " in run.stderr and "must accept options, store and jugspace" in run.stderr, run
    assert "Traceback" not in run.output


def test_a_user_commands_file_every_user_may_write_is_not_run(project, jug):
    folder, env, write = project
    write(REPORT_COMMAND + "\nopen('ran', 'w').close()\n")
    path = f"{env['XDG_CONFIG_HOME']}/jug/jug_user_commands.py"
    os.chmod(path, 0o666)
    run = jug("status", "jugfile.py", cwd=folder, env=env)
    assert run.returncode == 0, run
    assert f"ignoring the user commands file {path}: every user may write it" in run.stderr, run
    assert not (folder / "ran").exists()
