"""pytest fixtures for tests that run `jug` (jug's own, and plugins').

pytest finds fixtures in a ``conftest.py``; import the ones you use into yours::

    from jugcore.testing.fixtures import (  # noqa: F401
        background, jug, jug27, jug27_python, jugfile, no_user_jugrc, site)

(``jug27_python`` needs ``jug27`` imported too.)  This module imports pytest;
:mod:`jugcore.testing.processes` does not.
"""
import textwrap

import pytest

from jugcore.testing.distributions import pythonpath_environ
from jugcore.testing.processes import IN_CI, JUG27_VENV, BackgroundJug, ensure_jug27, run_jug


@pytest.fixture
def jug():
    """:func:`~jugcore.testing.processes.run_jug`: ``jug(*args, cwd=..., env=..., jug=...)`` -> JugRun."""
    return run_jug


@pytest.fixture
def jugfile(tmp_path):
    """write(text, name='jugfile.py') -> path of a jugfile in a fresh directory."""

    def write(text, name="jugfile.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture(scope="session")
def jug27():
    """Path of a real Jug 2.7.0 `jug` executable, in a cached venv of its own
    (:func:`~jugcore.testing.processes.ensure_jug27`).  Tests using it are skipped
    where it cannot be installed, and fail under CI."""
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


@pytest.fixture
def background(tmp_path):
    """start(label, *args, env=None, cwd=None) -> a BackgroundJug running ``jug ARGS...``
    (in ``tmp_path`` unless ``cwd``); every one still running is killed at teardown."""
    started = []

    def start(label, *args, env=None, cwd=None):
        bg = BackgroundJug(tmp_path, label, *args, env=env, cwd=cwd)
        started.append(bg)
        return bg

    yield start
    for bg in started:
        bg.close()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A :class:`~jugcore.testing.redis_server.RedisServer` shared by the session's
    tests (use your own database or prefix, or flush it).  Tests using it are
    skipped where no redis-server can be started, and fail under CI."""
    from jugcore.testing.redis_server import redis_server_or_skip

    server = redis_server_or_skip(tmp_path_factory.mktemp("redis"))
    yield server
    server.kill()


@pytest.fixture
def new_redis_server(tmp_path):
    """start(**options) -> a RedisServer of this test's own (to stop, kill, restart
    or pause); every one is killed at teardown."""
    from jugcore.testing.redis_server import redis_server_or_skip

    started = []

    def start(**options):
        server = redis_server_or_skip(tmp_path / f"redis-{len(started)}", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()  # SIGKILL ends a paused (SIGSTOPped) server too


@pytest.fixture(scope="session", autouse=True)
def no_user_jugrc():
    """No user jugrc is read in the test process (child `jug`s get an empty HOME from
    :func:`~jugcore.testing.processes.jug_environ`): the developer's own
    ``~/.config/jug/jugrc`` changes no test.  Autouse: importing it into a
    ``conftest.py`` is enough."""
    from jugcore.config import sources

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "user_file", lambda: None)
        yield


@pytest.fixture
def site(tmp_path):
    """(folder for fake distributions (:func:`~jugcore.testing.distributions.make_distribution`),
    the ``env`` for run_jug/background that puts it on sys.path)."""
    root = tmp_path / "site"
    root.mkdir()
    return root, pythonpath_environ(root)
