"""The fixtures pytest-jug registers (entry point ``pytest11``): every test
session where pytest-jug is installed has them, with no conftest imports.

* ``jug``: :func:`~pytest_jug.processes.run_jug`, runs ``jug ARGS...`` to the end;
* ``jugfile``: writes a jugfile into a fresh folder;
* ``background``: starts ``jug ARGS...`` processes that run while the test goes on;
* ``site``: a folder for fake distributions, and the environment that installs them;
* ``redis_server``, ``new_redis_server``: real redis-server processes (skipped
  where there is none; a failure under ``CI=true``);
* ``slurm_cluster``: a real one-node Slurm cluster, ``SLURM_CONF`` set for the
  session (skipped where none can be started; a failure under ``CI=true``);
* ``no_user_jugrc`` (autouse): the developer's own jugrc changes no test.

A conftest.py fixture of the same name takes precedence over any of these.
"""
import textwrap

import pytest

from pytest_jug.distributions import pythonpath_environ
from pytest_jug.processes import BackgroundJug, run_jug


@pytest.fixture
def jug():
    """:func:`~pytest_jug.processes.run_jug`: ``jug(*args, cwd=..., env=..., jug=...)`` -> JugRun."""
    return run_jug


@pytest.fixture
def jugfile(tmp_path):
    """write(text, name='jugfile.py') -> path of a jugfile in a fresh directory."""

    def write(text, name="jugfile.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


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
    """A :class:`~pytest_jug.redis_server.RedisServer` shared by the session's
    tests (use your own database or prefix, or flush it).  Tests using it are
    skipped where no redis-server can be started, and fail under CI."""
    from pytest_jug.redis_server import redis_server_or_skip

    server = redis_server_or_skip(tmp_path_factory.mktemp("redis"))
    yield server
    server.kill()


@pytest.fixture
def new_redis_server(tmp_path):
    """start(**options) -> a RedisServer of this test's own (to stop, kill, restart
    or pause); every one is killed at teardown."""
    from pytest_jug.redis_server import redis_server_or_skip

    started = []

    def start(**options):
        server = redis_server_or_skip(tmp_path / f"redis-{len(started)}", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()  # SIGKILL ends a paused (SIGSTOPped) server too


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory):
    """A :class:`~pytest_jug.slurm_cluster.SlurmCluster` shared by the session's
    tests, with ``SLURM_CONF`` pointing at it in this process and its children
    (every job still queued or running is cancelled at the end).  Tests using it
    are skipped where no cluster can be started, and fail under CI."""
    from pytest_jug.slurm_cluster import slurm_cluster_or_skip

    cluster = slurm_cluster_or_skip(tmp_path_factory.mktemp("slurm"))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in cluster.environ.items():
            patch.setenv(name, value)
        yield cluster
    cluster.stop()


@pytest.fixture(scope="session", autouse=True)
def no_user_jugrc():
    """No user jugrc is read in the test process (child `jug`s get an empty HOME from
    :func:`~pytest_jug.processes.jug_environ`): the developer's own
    ``~/.config/jug/jugrc`` changes no test.  Autouse, for the whole session."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jug-no-user-jugrc-") as empty, pytest.MonkeyPatch.context() as patch:
        # Every place a user jugrc is looked for lies under these (~/.config/jug,
        # ~/.config, ~/.jug): an empty folder has none.  Caches stay where they were.
        patch.setenv("XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"))
        patch.setenv("XDG_CONFIG_HOME", empty)
        patch.setenv("HOME", empty)
        yield


@pytest.fixture
def site(tmp_path):
    """(folder for fake distributions (:func:`~pytest_jug.distributions.make_distribution`),
    the ``env`` for run_jug/background that puts it on sys.path)."""
    root = tmp_path / "site"
    root.mkdir()
    return root, pythonpath_environ(root)
