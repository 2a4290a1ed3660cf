"""Fixtures shared by the core's tests: real `jug` processes on real jugdirs."""
import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

JUG_BIN = Path(sys.executable).with_name("jug")
JUG27_VENV = Path(os.environ.get("JUG27_VENV", Path.home() / ".cache" / "jugcore" / "jug27"))
IN_CI = os.environ.get("CI") == "true"


class JugRun:
    """A finished `jug` process."""

    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    @property
    def output(self):
        return self.stdout + self.stderr

    def __repr__(self):
        return f"<JugRun rc={self.returncode}\n--stdout--\n{self.stdout}\n--stderr--\n{self.stderr}>"


def run_jug(*args, cwd=None, env=None, timeout=120, jug=None, input=None):
    """Run `jug ARGS...` (ours, unless `jug` names another executable)."""
    full_env = dict(os.environ)
    full_env.pop("JUG_TRACE_PLUGINS", None)
    full_env.update(env or {})
    proc = subprocess.run(
        [str(jug or JUG_BIN), *map(str, args)], cwd=cwd, env=full_env, capture_output=True,
        text=True, timeout=timeout, input=input,
    )
    return JugRun(proc)


@pytest.fixture
def jug():
    return run_jug


@pytest.fixture
def jugfile(tmp_path):
    """write(text, name='jugfile.py') -> path of a jugfile in a fresh directory."""

    def write(text, name="jugfile.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


def _ensure_jug27():
    python = JUG27_VENV / "bin" / "python"
    exe = JUG27_VENV / "bin" / "jug"
    if not exe.exists():
        venv.create(JUG27_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "jug==2.7.0", "numpy", "redis"], check=True)
    return exe


@pytest.fixture(scope="session")
def jug27():
    """Path of a real Jug 2.7.0 `jug` executable, in a cached venv of its own."""
    try:
        return _ensure_jug27()
    except Exception as e:  # no network on a developer's laptop
        if IN_CI:
            pytest.fail(f"Jug 2.7.0 could not be installed into {JUG27_VENV}: {e}")
        pytest.skip(f"Jug 2.7.0 not available ({e})")


@pytest.fixture(scope="session")
def jug27_python(jug27):
    return jug27.with_name("python")
