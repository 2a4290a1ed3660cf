"""`jug demo` and `jug install-skills`, as a user meets them: real `jug`
processes, the files they leave, and the example jugfiles actually run."""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest


def tree(folder):
    """The files under ``folder``, as relative paths (caches left out)."""
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


# --- jug demo --------------------------------------------------------------------------------

def test_demo_writes_a_jugfile_that_runs_as_it_says(jug, tmp_path):
    run = jug("demo", cwd=tmp_path)
    assert run.returncode == 0, run
    assert tree(tmp_path) == ["jug-demo/primes.py"]  # Jug 2.7's folder and file names
    assert "cd jug-demo" in run.stdout and "jug execute primes.py" in run.stdout, run
    demo = tmp_path / "jug-demo"
    counted = jug("count", "primes.py", "--short", cwd=demo)
    assert "201 tasks" in counted.stdout, counted
    executed = jug("execute", "primes.py", "-j", "8", cwd=demo)
    assert executed.returncode == 0, executed
    assert (demo / "output.txt").read_text().startswith("46 primes up to 200: [2, 3, 5, 7, 11,")
    assert jug("check", "primes.py", cwd=demo).returncode == 0


def test_demo_leaves_an_existing_folder_alone(jug, tmp_path):
    (tmp_path / "jug-demo").mkdir()
    (tmp_path / "jug-demo" / "primes.py").write_text("# mine\n")
    run = jug("demo", cwd=tmp_path)
    assert run.returncode == 1, run
    assert run.stderr.strip().splitlines() == [
        "jug: error: jug-demo/ already exists here: run the demo in it, or remove it and run `jug demo` again"]
    assert (tmp_path / "jug-demo" / "primes.py").read_text() == "# mine\n"


# --- jug install-skills ----------------------------------------------------------------------

def test_install_skills_writes_the_skill_in_jug27s_layout(jug, tmp_path, jug27):
    run = jug("install-skills", "--output", str(tmp_path / "ours"), cwd=tmp_path)
    assert run.returncode == 0, run
    assert run.stdout == f"Installed the jug skill in {tmp_path / 'ours' / 'jug'}\n"
    theirs = subprocess.run([str(jug27), "install-skills", "--output", str(tmp_path / "theirs")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert theirs.returncode == 0, theirs.stderr
    assert tree(tmp_path / "ours") == tree(tmp_path / "theirs")  # users' habits (and assistants') carry over
    skill = (tmp_path / "ours" / "jug" / "SKILL.md").read_text()
    front = re.match(r"---\nname: jug\ndescription: >\n(.*?)\n---\n", skill, re.S)
    assert front and "jugfile" in front.group(1)
    assert skill != (tmp_path / "theirs" / "jug" / "SKILL.md").read_text()  # our own text


def test_the_skill_names_only_commands_and_options_jug_has(jug, tmp_path):
    jug("install-skills", "--output", str(tmp_path), cwd=tmp_path)
    text = "\n".join(p.read_text() for p in (tmp_path / "jug").rglob("*.md"))
    commands = set(re.findall(r"`jug ([a-z][a-z-]+)", text))
    known = jug("--help").stdout
    assert commands and all(re.search(rf"^  {c}\s", known, re.M) for c in commands), commands
    for command, option in set(re.findall(r"`jug ([a-z][a-z-]+) [^`]*?(--[a-z][a-z-]+)", text)):
        assert option in jug(command, "--help").stdout, (command, option)


def test_the_skills_example_jugfiles_run(jug, tmp_path):
    jug("install-skills", "--output", str(tmp_path), cwd=tmp_path)
    examples = tmp_path / "jug" / "examples"
    for i in (1, 2, 3):
        (examples / f"chapter{i}.txt").write_text("one two three\n" * i)
    (examples / "measurements.txt").write_text("".join(f"{i}\n" for i in range(25_000)))
    for jugfile in ("simple_jugfile.py", "pipeline_jugfile.py"):
        run = jug("execute", jugfile, "-j", "2", cwd=examples)
        assert run.returncode == 0, run
        assert jug("check", jugfile, cwd=examples).returncode == 0
    assert (examples / "report.txt").read_text().startswith("25000 values, mean 12499.5, max 24999.0")


def test_install_skills_refuses_to_overwrite_without_force(jug, tmp_path):
    target = tmp_path / "jug"
    target.mkdir()
    (target / "SKILL.md").write_text("mine")
    run = jug("install-skills", "--output", str(tmp_path), cwd=tmp_path)
    assert run.returncode == 1, run
    assert run.stderr == f"jug: error: {target} already exists; add --force to replace it\n"
    assert tree(tmp_path) == ["jug/SKILL.md"] and (target / "SKILL.md").read_text() == "mine"


def test_force_replaces_the_whole_skill_and_never_writes_through_a_link(jug, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "SKILL.md").write_text("not yours to overwrite")
    skills = tmp_path / "skills"
    skills.mkdir()
    os.symlink(elsewhere, skills / "jug")
    run = jug("install-skills", "--output", str(skills), "--force", cwd=tmp_path)
    assert run.returncode == 0, run
    assert not (skills / "jug").is_symlink() and (skills / "jug" / "SKILL.md").read_text().startswith("---")
    assert (elsewhere / "SKILL.md").read_text() == "not yours to overwrite"
    (skills / "jug" / "stale.md").write_text("from an older version")
    assert jug("install-skills", "--output", str(skills), "--force", cwd=tmp_path).returncode == 0
    assert not (skills / "jug" / "stale.md").exists()
    assert os.listdir(skills) == ["jug"]  # nothing left behind


def test_install_skills_needs_output_and_a_writable_folder(jug, tmp_path):
    missing = jug("install-skills", cwd=tmp_path)
    assert missing.returncode == 2 and "Missing option '--output'" in missing.stderr, missing
    (tmp_path / "afile").write_text("")
    blocked = jug("install-skills", "--output", str(tmp_path / "afile" / "skills"), cwd=tmp_path)
    assert blocked.returncode == 1, blocked
    assert len(blocked.stderr.splitlines()) == 1 and "choose another --output" in blocked.stderr, blocked
    assert "Traceback" not in blocked.stderr


@pytest.mark.parametrize("command", ["demo", "install-skills", "test-jug"])
def test_each_command_is_a_plugin_of_jugcore(jug, command):
    run = jug("plugins", "--all", "--json")
    rows = {row["name"]: row for row in json.loads(run.stdout)["plugins"]}
    assert rows[command]["distribution"] == "jugcore" and rows[command]["commands"] == [command]
