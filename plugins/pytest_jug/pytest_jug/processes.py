"""Real `jug` processes for tests: jugcore's own, and those of third-party plugins.

A test that wants to know what a user sees runs the `jug` command line as a
separate process, on a real jugdir, and looks at its exit code, its output
and the files it left behind.  This module holds what such tests share:

* :func:`run_jug` runs ``jug ARGS...`` to the end and returns a :class:`JugRun`;
* :class:`BackgroundJug` starts ``jug ARGS...`` and lets the test go on while
  it runs (several workers at once, a worker killed mid-task), noting when it
  exits;
* :func:`wait_until` and :func:`must` wait for a condition with a deadline,
  never for a fixed time;
* :func:`summary_table` and :func:`lock_files` read what a run left: its
  summary table, the locks in a file jugdir;
* :func:`one_winner_each` checks that racing processes each locked different keys.

The jugfiles to run are in :mod:`pytest_jug.jugfiles`.  Nothing here needs
pytest; :mod:`pytest_jug.plugin` wraps these helpers as fixtures.
"""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

#: The `jug` executable of the running Python's environment.
JUG_BIN = Path(sys.executable).with_name("jug")

#: True under CI (``CI=true``), where a test that cannot get what it needs (a
#: redis-server, say) fails rather than skips.
IN_CI = os.environ.get("CI") == "true"


# --- running jug ----------------------------------------------------------------------------
_ISOLATED_HOME = []


def _isolated_home():
    """An empty folder (made once per process) to be the child's HOME and
    XDG_CONFIG_HOME, so that the developer's own jugrc changes no test."""
    if not _ISOLATED_HOME:
        import atexit
        import shutil
        import tempfile

        home = tempfile.mkdtemp(prefix="jug-test-home-")
        atexit.register(shutil.rmtree, home, True)
        _ISOLATED_HOME.append(home)
    return _ISOLATED_HOME[0]


def jug_environ(env=None):
    """The environment for a child `jug`: ours, less JUG_TRACE_PLUGINS (its trace
    would mix into the child's stderr), with an empty HOME and XDG_CONFIG_HOME (no
    user jugrc; the cache folder stays the real one, for the entry-point cache),
    without progress lines (JUG_NO_PROGRESS=1: `jug execute` writes one at the end
    of each pass into a stderr that is not a terminal), updated with ``env``.  A
    None value in ``env`` removes that variable."""
    full_env = dict(os.environ, JUG_NO_PROGRESS="1")
    full_env.pop("JUG_TRACE_PLUGINS", None)
    home = _isolated_home()
    full_env.setdefault("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache"))
    full_env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
    for name, value in (env or {}).items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    return full_env


class JugRun:
    """A finished `jug` process: ``returncode``, ``stdout``, ``stderr`` and ``output``
    (both).  Its repr shows everything, for assertion messages (``assert run.returncode == 0, run``)."""

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
    """Run ``jug ARGS...`` to the end and return a :class:`JugRun`.

    ``jug`` names another executable than :data:`JUG_BIN` (an installed copy, Jug
    2.7's); ``env`` is added to the environment (see :func:`jug_environ`); ``input``
    is the text on stdin.  Raises ``subprocess.TimeoutExpired`` after ``timeout`` s.
    """
    proc = subprocess.run(
        [str(jug or JUG_BIN), *map(str, args)], cwd=cwd, env=jug_environ(env), capture_output=True,
        text=True, timeout=timeout, input=input,
    )
    return JugRun(proc)


# --- waiting --------------------------------------------------------------------------------
def started_or_skip(start, unavailable, what):
    """``start()``'s result; when it raises ``unavailable`` (no such server can be
    started here), the calling test is skipped naming ``what`` and the reason,
    or fails under CI, where everything the tests need must be installed."""
    import pytest

    try:
        return start()
    except unavailable as e:
        if IN_CI:
            pytest.fail(f"tests need {what} under CI: {e}")
        pytest.skip(f"no {what}: {e}")


def wait_until(condition, timeout, interval=0.01):
    """Poll ``condition()`` until it is true; returns True, or False once ``timeout``
    seconds have passed.  ``assert not wait_until(...)`` checks that something does
    *not* happen for a while."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


def must(condition, timeout, what):
    """:func:`wait_until` ``condition``, or fail the test (AssertionError) naming ``what``
    it waited for."""
    assert wait_until(condition, timeout), f"timed out after {timeout} s waiting for {what}"


class BackgroundJug:
    """A `jug ARGS...` process running in the background, its output going to the files
    ``FOLDER/LABEL.stdout`` and ``FOLDER/LABEL.stderr``.

    ``ended_at`` is the ``time.monotonic()`` at which :meth:`alive` first saw it
    exited (None before): poll :meth:`alive` (or :meth:`wait`) to compare when
    several processes ended.  :meth:`close` kills it if it still runs.
    """

    def __init__(self, folder, label, *args, env=None, cwd=None):
        self.out_path = folder / f"{label}.stdout"
        self.err_path = folder / f"{label}.stderr"
        self._out = open(self.out_path, "w")
        self._err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [str(JUG_BIN), *map(str, args)], cwd=cwd or folder, env=jug_environ(env),
            stdout=self._out, stderr=self._err, stdin=subprocess.DEVNULL,
        )
        self.ended_at = None

    def alive(self):
        if self.proc.poll() is None:
            return True
        if self.ended_at is None:
            self.ended_at = time.monotonic()
        return False

    def wait(self, timeout):
        """Wait for it to exit (or fail the test after ``timeout`` s); its exit code."""
        must(lambda: not self.alive(), timeout, f"{self.proc.args} to exit")
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    @property
    def returncode(self):
        return self.proc.returncode

    @property
    def stdout(self):
        self._out.flush()
        return self.out_path.read_text()

    @property
    def stderr(self):
        self._err.flush()
        return self.err_path.read_text()

    def __repr__(self):
        return f"<BackgroundJug rc={self.proc.returncode}\n--stdout--\n{self.stdout}\n--stderr--\n{self.stderr}>"

    def close(self):
        self.kill()
        self._out.close()
        self._err.close()


# --- races ----------------------------------------------------------------------------------
def one_winner_each(outcome):
    """{key: pid} from racing processes' ``outcome``, a list of (pid, keys it locked);
    AssertionError if two processes locked the same key."""
    winners = {}
    for pid, won in outcome:
        for key in won:
            assert key not in winners, f"two processes ({winners[key]} and {pid}) got the lock of {key}"
            winners[key] = pid
    return winners


# --- what a run left -----------------------------------------------------------------------
def summary_table(text):
    """Parse the summary table that `jug execute` / `jug status` print (ours and Jug
    2.7's): {task name: [column values]}, the 'Total' row included."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^((?:\s+\d+)+)\s\s(\S+)\s*$", line)
        if m:
            rows[m.group(2)] = [int(v) for v in m.group(1).split()]
    return rows


def lock_files(jugdir):
    """Sorted names of the lock files in a file jugdir (none if it has no locks folder)."""
    locks = Path(jugdir) / "locks"
    return sorted(p.name for p in locks.iterdir()) if locks.exists() else []
