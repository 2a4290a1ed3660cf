"""`jug install-skills --output DIR`: put jug's skill for coding assistants
(how to write, run and debug jugfiles, written for jugcore) in DIR/jug."""
import os

import click

from jugcore.cli.jugfile_command import jug2_common_options
from jugcore.errors import JugError
from jugcore.plugins import hookimpl

SKILL = "jug"


@jug2_common_options
@click.command("install-skills")
@click.option("--output", required=True, metavar="DIR",
              help="Your coding assistant's skills folder (for example ~/.claude/skills); the skill goes "
                   "into DIR/jug.")
@click.option("--force", is_flag=True, help="Replace DIR/jug if it exists.")
def install_skills(output, force):
    """Install jug's skill for coding assistants (writing, running and debugging
    jugfiles) into DIR/jug."""
    folder = os.path.abspath(os.path.expanduser(output))
    target = os.path.join(folder, SKILL)
    if os.path.lexists(target) and not force:
        raise JugError(f"{target} already exists; add --force to replace it")
    try:
        os.makedirs(folder, exist_ok=True)
        staged = _stage(folder)
        _put_in_place(staged, target)
    except OSError as e:
        raise JugError(f"cannot install the skill in {folder}: {e.strerror or e}; choose another --output")
    click.echo(f"Installed the jug skill in {target}")


def _stage(folder):
    """The skill's files, written into a new private folder beside the target
    (mkdtemp: nobody else's folder or link is written through); the folder."""
    import shutil  # here, not at the top: every `jug` command imports this module
    import tempfile
    from importlib.resources import files

    staged = tempfile.mkdtemp(prefix=f".{SKILL}-skill-", dir=folder)
    try:
        _copy(files("jugcore.cli.skill").joinpath(SKILL), staged)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staged, 0o777 & ~umask)  # as readable as a folder the user made
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _copy(source, destination):
    for entry in source.iterdir():
        path = os.path.join(destination, entry.name)
        if entry.is_dir():
            if entry.name != "__pycache__":
                os.mkdir(path)
                _copy(entry, path)
        else:
            with open(path, "xb") as f:
                f.write(entry.read_bytes())


def _put_in_place(staged, target):
    """Rename ``staged`` to ``target``; an existing target (with --force) is moved
    aside first and removed after, so the skill is never half there."""
    import shutil
    import tempfile

    if not os.path.lexists(target):
        os.rename(staged, target)
        return
    aside = tempfile.mkdtemp(prefix=f".{SKILL}-skill-old-", dir=os.path.dirname(target))
    os.rename(target, os.path.join(aside, SKILL))
    os.rename(staged, target)
    shutil.rmtree(aside, ignore_errors=True)


@hookimpl
def jug_register_commands(cli):
    cli.add_command(install_skills)
