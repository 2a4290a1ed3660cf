"""``jug.subcommands.install_skills``: Jug 2's `install-skills` command object
(our `jug install-skills` runs) and its functions, over our skill."""
from jugcore.cli.commands.install_skills import bundled_skill_path, install_skill  # noqa: F401
from jugcore.cli.jug2_commands import ClickCommand, Jug2Option

__all__ = ["install_skills", "install_skill", "bundled_skill_path"]


class InstallSkillsCommand(ClickCommand):
    """Install jug's skill for coding assistants into a skills folder."""

    name = "install-skills"
    reads_jugfile = False
    jug2_options = (Jug2Option("install_skills_output", ("--output",), None),
                    Jug2Option("install_skills_force", ("--force",)))


install_skills = InstallSkillsCommand()
