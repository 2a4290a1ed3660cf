"""`jug --print-completion SHELL` and the completions behind it, driven as a
shell drives them: click's protocol (``_JUG_COMPLETE``, ``COMP_WORDS``,
``COMP_CWORD``) against a real `jug` process."""
import shutil
import subprocess

import pytest

JUGFILE = """\
from jug import Task, TaskGenerator
from helpers import tally
import helpers


@TaskGenerator
def square(x):
    return x * x


def double(x):
    return 2 * x


doubled = TaskGenerator(double)
squares = [square(i) for i in range(3)]
total = Task(tally, squares)
extra = TaskGenerator(helpers.scaled)(3)
RAN = open("ran.txt", "w")  # completing must never import the jugfile
"""


def complete(jug, cwd, line, shell="bash"):
    """The candidates `jug` offers for the last word of ``line`` (a trailing space: a new word)."""
    words = line.split()
    if shell == "fish":  # fish sends the word being completed, not its index
        cword = "" if line.endswith(" ") else words[-1]
    else:
        cword = str(len(words) if line.endswith(" ") else len(words) - 1)
    run = jug(env={"_JUG_COMPLETE": f"{shell}_complete", "COMP_WORDS": line, "COMP_CWORD": cword}, cwd=cwd)
    assert run.returncode == 0, run
    return [line for line in run.stdout.splitlines() if line]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "analysis.py").write_text(JUGFILE)
    (tmp_path / "helpers.py").write_text("def tally(xs):\n    return sum(xs)\n\ndef scaled(x):\n    return x\n")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "sub").mkdir()
    return tmp_path


def test_subcommands_and_options(jug, project):
    assert complete(jug, project, "jug ex") == ["plain,execute"]
    assert set(complete(jug, project, "jug ")) >= {"plain,execute", "plain,status", "plain,demo",
                                                   "plain,install-skills", "plain,test-jug"}
    assert complete(jug, project, "jug execute analysis.py --keep-") == ["plain,--keep-going", "plain,--keep-failed"]
    assert "plain,--print-completion" in complete(jug, project, "jug --")


def test_jugfile_paths_are_python_files(jug, project):
    offered = complete(jug, project, "jug status ")
    assert "plain,analysis.py" in offered and "plain,helpers.py" in offered
    assert "plain,notes.txt" not in offered
    assert offered[0] == "dir,"  # and the shell's own folder completion, to go into sub/
    (project / "sub" / "inner.py").write_text("")
    assert complete(jug, project, "jug status sub/") == ["dir,sub/", "plain,sub/inner.py"]


def test_task_names_after_name_from_the_jugfile_text(jug, project):
    offered = complete(jug, project, "jug execute analysis.py --name ")
    assert offered == ["plain," + name for name in (
        "analysis.double", "analysis.square", "helpers.scaled", "helpers.tally", "double", "square", "scaled",
        "tally")]
    assert complete(jug, project, "jug invalidate --jugdir x analysis.py --name sq") == ["plain,square"]
    assert complete(jug, project, "jug execute analysis.py --name helpers.") == ["plain,helpers.scaled",
                                                                                 "plain,helpers.tally"]
    assert not (project / "ran.txt").exists()  # read, not imported


def test_task_names_of_the_default_jugfile_and_of_a_missing_one(jug, project):
    (project / "jugfile.py").write_text("from jug import TaskGenerator\n\n@TaskGenerator\ndef step(x):\n    return x\n")
    assert complete(jug, project, "jug execute --name st") == ["plain,step"]
    assert complete(jug, project, "jug execute missing.py --name ") == []


def test_zsh_and_fish_candidates(jug, project):
    assert complete(jug, project, "jug execute analysis.py --name sq", shell="zsh") == ["plain", "square", "_"]
    assert complete(jug, project, "jug execute analysis.py --name sq", shell="fish") == ["plain,square"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_printed_scripts(jug, tmp_path, shell):
    run = jug("--print-completion", shell, cwd=tmp_path)
    assert run.returncode == 0, run
    assert "_JUG_COMPLETE" in run.stdout
    if shutil.which(shell) is None:
        pytest.skip(f"no {shell} here to check the script's syntax")
    flag = {"fish": "--no-execute"}.get(shell, "-n")
    check = subprocess.run([shell, flag], input=run.stdout, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_bash_script_completes_through_jug(jug, project):
    """The printed script, loaded into a real bash, asks `jug` and fills COMPREPLY."""
    if shutil.which("bash") is None:
        pytest.skip("no bash here")
    script = jug("--print-completion", "bash", cwd=project).stdout
    driver = script + '\nCOMP_WORDS=(jug execute analysis.py --name sq); COMP_CWORD=4\n_jug_completion jug\n' \
                      'printf "%s\\n" "${COMPREPLY[@]}"\n'
    from pytest_jug import jug_environ, JUG_BIN

    env = jug_environ({"PATH": f"{JUG_BIN.parent}:/usr/bin:/bin"})
    done = subprocess.run(["bash", "-c", driver], capture_output=True, text=True, cwd=project, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["square"]


def test_an_unknown_shell_lists_the_known_ones(jug, tmp_path):
    run = jug("--print-completion", "tcsh", cwd=tmp_path)
    assert run.returncode == 2
    assert "'bash', 'zsh', 'fish'" in run.stderr
