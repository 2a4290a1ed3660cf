"""A venv holding everything the test venv holds but some distributions: how
tests see `jug` where a plugin is really not installed (the development venv
has them all).  Its site-packages links to ours, entry by entry, less those."""
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

__all__ = ["make_venv_without", "jug_without_optional_plugins"]

# No entry-point cache: it would leave a file per throw-away venv in the user's cache folder.
_LAUNCHER = ("#!{python}\nimport os\nos.environ['JUG_PLUGIN_CACHE'] = '0'\n"
             "from jugcore.cli.main import main\nmain()\n")


def make_venv_without(folder, packages):
    """Path of a `jug` in a new venv at ``folder`` that has every distribution
    of ours except those whose import or dist-info names start with one of
    ``packages`` (``jug_shell`` drops jug-shell's code, metadata and .pth)."""
    folder = Path(folder)
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(folder)],
                   check=True)
    ours = Path(sysconfig.get_paths()["purelib"])
    theirs = Path(subprocess.run([str(folder / "bin" / "python"), "-c",
                                  "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    for entry in ours.iterdir():
        bare = entry.name.removeprefix("__editable__.").removeprefix("__editable___")
        if not any(bare.startswith(package) for package in packages):
            (theirs / entry.name).symlink_to(entry)
    jug = folder / "bin" / "jug"
    jug.write_text(_LAUNCHER.format(python=folder / "bin" / "python"))
    jug.chmod(0o755)
    return jug


@pytest.fixture(scope="session")
def jug_without_optional_plugins(tmp_path_factory):
    """A `jug` (for run_jug's ``jug=``) where jug-shell and jug-redis are not installed."""
    return make_venv_without(tmp_path_factory.mktemp("venv") / "no-plugins", ("jug_shell", "jug_redis"))
