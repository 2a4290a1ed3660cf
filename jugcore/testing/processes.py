"""Real `jug` processes for tests: jug's own, and those of third-party plugins.

A test that wants to know what a user sees runs the `jug` command line as a
separate process, on a real jugdir, and looks at its exit code, its output
and the files it left behind.  This module holds what such tests share:

* :func:`run_jug` runs ``jug ARGS...`` to the end and returns a :class:`JugRun`;
* :class:`BackgroundJug` starts ``jug ARGS...`` and lets the test go on while
  it runs (several workers at once, a worker killed mid-task), noting when it
  exits;
* :func:`wait_until` and :func:`must` wait for a condition with a deadline,
  never for a fixed time;
* :func:`with_sync` gives a jugfile small functions with which its tasks and
  the test synchronise through files ("I have started", "go on");
* :func:`summary_table` and :func:`lock_files` read what a run left: its
  summary table, the locks in a file jugdir;
* :func:`sample_jugfile`, :func:`gated_jugfile`, :func:`gated_failure_jugfile` and
  :func:`bvalue_barrier_jugfile` are the texts of small jugfiles to run;
* :func:`one_winner_each` checks that racing processes each locked different keys;
* :func:`ensure_jug27` installs the real Jug 2.7.0 into a cached venv of its
  own, to compare with or to share a jugdir with.

Nothing here needs pytest; :mod:`jugcore.testing.fixtures` wraps these
helpers as pytest fixtures.
"""
import os
import re
import subprocess
import sys
import textwrap
import time
import venv
from pathlib import Path

#: The `jug` executable of the running Python's environment.
JUG_BIN = Path(sys.executable).with_name("jug")

#: Where :func:`ensure_jug27` keeps its Jug 2.7.0 venv (environment variable JUG27_VENV).
JUG27_VENV = Path(os.environ.get("JUG27_VENV", Path.home() / ".cache" / "jugcore" / "jug27"))

#: True under CI (``CI=true``), where a missing Jug 2.7 is a failure rather than a skip.
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
    updated with ``env``.  A None value in ``env`` removes that variable."""
    full_env = dict(os.environ)
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


# --- synchronising tasks with the test through files ------------------------------------------
#: Functions for a jugfile whose tasks synchronise with the test through files next
#: to the jugfile: ``touch(name)``, ``wait_for(name)`` (RuntimeError after 60 s),
#: ``record(name)`` (create exclusively: a task run twice fails loudly) and
#: ``append(name, text)``.  A task that must be "in progress" touches a marker and
#: waits for a "go" file the test creates.
SYNC_PRELUDE = '''\
import os, time
HERE = os.path.dirname(os.path.abspath(__file__))
def here(name):
    return os.path.join(HERE, name)
def touch(name):
    open(here(name), "a").close()
def wait_for(name, limit=60):
    deadline = time.monotonic() + limit
    while not os.path.exists(here(name)):
        if time.monotonic() > deadline:
            raise RuntimeError(name + " never appeared")
        time.sleep(0.005)
def record(name):
    """Create HERE/name exclusively: a second execution of the same task fails loudly."""
    os.close(os.open(here(name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
def append(name, text="x"):
    with open(here(name), "a") as f:
        f.write(text + "\\n")
'''


def with_sync(body):
    """Jugfile text: :data:`SYNC_PRELUDE` followed by ``body`` (dedented)."""
    return SYNC_PRELUDE + textwrap.dedent(body)


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


# --- jugfiles -------------------------------------------------------------------------------
_SAMPLE_JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def {task}(x):
    return {body}

@TaskGenerator
def total(xs):
    return sum(xs)

{items} = [{task}(i) for i in range({n})]
result = total({items})
"""


def sample_jugfile(n=3, task="double", body="2 * x", items="doubles"):
    """Text of a small jugfile of ``n + 1`` tasks: ``items = [task(i) for i in range(n)]``,
    where ``task(x)`` returns ``body``, and ``result = total(items)``, their sum."""
    return _SAMPLE_JUGFILE.format(n=n, task=task, body=body, items=items)


_BVALUE_BARRIER_JUGFILE = """\
from jug import TaskGenerator, barrier, bvalue

@TaskGenerator
def make_list(n):
    return list(range(n))

@TaskGenerator
def square(x):
    return x * x

@TaskGenerator
def total(xs):
    return sum(xs)

items = bvalue(make_list({n}))
squares = [square(x) for x in items]
barrier()
"""


def bvalue_barrier_jugfile(n, after):
    """Text of a jugfile whose tasks are known in steps: ``items = bvalue(make_list(n))``
    (``n`` is code, such as ``"4"``), ``squares = [square(x) for x in items]``, a
    ``barrier()``, then the code ``after``, which may use ``total(xs)`` (their sum)."""
    return _BVALUE_BARRIER_JUGFILE.format(n=n) + textwrap.dedent(after)


_GATED_FAILURE_JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def boom():
    touch("boom_started")
    wait_for("go")
    raise RuntimeError("deliberate")

@TaskGenerator
def after(x):
    return x

"""


_GATED_JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def slow():
    append("runs", str(os.getpid()))
    touch("started")
    wait_for("go")
    return os.getpid()

@TaskGenerator
def after(x):
    return x

"""


def gated_jugfile(tasks="a = after(slow())\n"):
    """Text of a jugfile (with :data:`SYNC_PRELUDE`) for a task that runs while the test
    watches (a worker to kill or stop mid-task): ``slow()`` appends its process id to the
    file ``runs``, touches ``started``, waits for the file ``go`` and returns the process
    id; ``after(x)`` returns ``x``.  ``tasks`` is the code that makes the tasks."""
    return with_sync(_GATED_JUGFILE + textwrap.dedent(tasks))


def gated_failure_jugfile(tasks):
    """Text of a jugfile (with :data:`SYNC_PRELUDE`) for a task that fails while the test
    watches: ``boom()`` touches ``boom_started``, waits for the file ``go`` and raises
    RuntimeError("deliberate"); ``after(x)`` returns ``x``.  ``tasks`` is the code that
    makes the tasks, such as ``"c = after(boom())\\n"``."""
    return with_sync(_GATED_FAILURE_JUGFILE + textwrap.dedent(tasks))


# --- Jug 2.7 --------------------------------------------------------------------------------
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
