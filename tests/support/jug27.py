"""The real Jug 2.7.0, installed into a cached venv of its own: what our tests
compare with, and share jugdirs with.  A third-party plugin compares with
jugcore, not with Jug 2.7, so this is ours rather than pytest-jug's."""
import os
import subprocess
import venv
from pathlib import Path

import pytest

from pytest_jug import IN_CI

__all__ = ["JUG27_VENV", "ensure_jug27", "jug27", "jug27_python"]

#: Where :func:`ensure_jug27` keeps its Jug 2.7.0 venv (environment variable JUG27_VENV).
JUG27_VENV = Path(os.environ.get("JUG27_VENV", Path.home() / ".cache" / "jugcore" / "jug27"))


def ensure_jug27(venv_dir=None):
    """Path of a real Jug 2.7.0 `jug` executable (its python is next to it), installed
    with numpy and redis into the venv ``venv_dir`` (default :data:`JUG27_VENV`) on
    first use.  Raises whatever the install raised (no network, say)."""
    venv_dir = Path(venv_dir or JUG27_VENV)
    python = venv_dir / "bin" / "python"
    exe = venv_dir / "bin" / "jug"
    if not exe.exists():
        venv.create(venv_dir, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "jug==2.7.0", "numpy", "redis"], check=True)
    return exe


@pytest.fixture(scope="session")
def jug27():
    """Path of a real Jug 2.7.0 `jug` executable (:func:`ensure_jug27`).  Tests using
    it are skipped where it cannot be installed, and fail under CI."""
    try:
        return ensure_jug27()
    except Exception as e:  # no network on a developer's laptop
        if IN_CI:
            pytest.fail(f"Jug 2.7.0 could not be installed into {JUG27_VENV}: {e}")
        pytest.skip(f"Jug 2.7.0 not available ({e})")


@pytest.fixture(scope="session")
def jug27_python(jug27):
    """Path of the python of the Jug 2.7.0 venv (for scripts that ``import jug``)."""
    return jug27.with_name("python")
