"""Texts of small jugfiles for tests, and the functions with which their tasks
synchronise with the test through files ("I have started", "go on").

* :func:`sample_jugfile`, :func:`gated_jugfile`, :func:`gated_failure_jugfile` and
  :func:`bvalue_barrier_jugfile` are jugfiles to run;
* :func:`with_sync` puts :data:`SYNC_PRELUDE` before a jugfile of your own.
"""
import textwrap


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
