"""The task model: Task, Tasklet, TaskGenerator and walking their dependencies.

No I/O happens here except through ``Task.store``, the store the running
command (or ``jug.init``) installed.  A few objects are pickled into task
keys by Jug 2.7 under ``jug.task`` names; they carry that ``__module__`` so
that our keys match Jug's byte for byte.
"""
import sys
from functools import partial
from operator import attrgetter

from jugcore.formats.encoding import CorruptResult
from jugcore.errors import JugError
from jugcore.formats.hashing import hash_one, hash_update, new_hash_object, task_key
from jugcore.model.jug_names import present_as
from jugcore.model.no_result import TaskHasNoResult
from jugcore.model.unhashable import unhashable_argument

__all__ = [
    "Task", "Tasklet", "TaskGenerator", "alltasks", "value", "iteratetask",
    "return_tuple", "recursive_dependencies", "topological_sort", "TaskletMixin",
]

# Every Task created since the jugfile started being imported, in creation order.
alltasks = []

_UNSET = object()
_NOT_A_LAMBDA_MESSAGE = (
    "jug: a Task cannot wrap a lambda function (its name does not identify it). "
    "Define the function with `def` at the top level of the jugfile; to apply a "
    "lambda to a task's result, use Tasklet(task, lambda r: ...)."
)


class CorruptTaskResult(JugError):
    """A task's stored result exists but cannot be read."""

    def __init__(self, task, cause):
        key = task.hash().decode()
        super().__init__(
            f"the stored result of task {task.name} (key {key}) cannot be read: {cause}. "
            "Delete that entry from the jugdir (for a file jugdir, the file named above) "
            "and run jug execute again to recompute it."
        )


class TaskNotIterable(TypeError, NotImplementedError):
    """Iterating a Task (Jug 2.7 raised NotImplementedError, Python expects TypeError)."""


class TaskletMixin:
    """What Tasks, Tasklets and task-like views share: ``x[i]`` makes a Tasklet,
    and iterating is refused (the length is unknown before the task runs)."""

    __slots__ = ()

    def __getitem__(self, index):
        if type(index) in _PLAIN_INDEX_TYPES:
            return Tasklet(self, _getitem(index))
        return _tasklet_for_index(self, index)

    def __iter__(self):
        raise TaskNotIterable(
            "jug: a Task cannot be iterated before it has run; use "
            "iteratetask(task, n) or @return_tuple(n) for tasks that return sequences"
        )


class Task(TaskletMixin):
    """A call ``f(*args, **kwargs)`` whose result is cached in the store under its key."""

    __slots__ = ("f", "args", "kwargs", "name", "_hash", "_result", "_lock")
    __jug_task__ = True  # for hashing, which refuses list subclasses holding tasks
    store = None  # Jug 2's global, filled by jugcore.face.use_store

    def __init__(self, f, *args, **kwargs):
        while isinstance(f, partial):
            args = f.args + args
            kwargs = {**f.keywords, **kwargs}
            f = f.func
        if getattr(f, "__name__", "") == "<lambda>":
            raise ValueError(_NOT_A_LAMBDA_MESSAGE)
        self._define(f, f"{f.__module__}.{f.__name__}", args, kwargs)

    def _define(self, f, name, args, kwargs):
        self.f = f
        self.name = name
        self.args = args
        self.kwargs = kwargs
        self._hash = None
        self._result = _UNSET
        self._lock = None
        alltasks.append(self)

    # --- identity -----------------------------------------------------------
    def hash(self):
        """The task's key, 40 hex digits as bytes; computed once."""
        h = self._hash
        if h is None:
            try:
                h = self._hash = task_key(self.name, self.args, self.kwargs)
            except Exception as e:
                raise unhashable_argument(self, e) from e
        return h

    __jug_hash__ = hash

    def _check_hash(self):
        if task_key(self.name, self.args, self.kwargs) != self.hash():
            raise RuntimeError(
                f"jug: the arguments of task {self.name} changed after it was created "
                "(a task function modified one of its inputs in place), so its key no "
                "longer names its inputs. Copy the argument before modifying it."
            )

    def check_hash(self):
        """For --debug: raise RuntimeError if the arguments changed since the key was computed."""
        self._check_hash()  # overridden where the key is not the arguments' (compound tasks)

    def dependencies(self):
        """The Tasks this one needs, directly (through any nesting of containers)."""
        return tasks_inside([self.args, self.kwargs.values()])

    # --- running and results ------------------------------------------------
    def can_run(self):
        """True when every dependency's result is available."""
        return all(dep.is_loaded() or dep.can_load() for dep in self.dependencies())

    def run(self, force=None, save=True, debug_mode=False):
        """Compute the result now (dependencies must be available) and store it."""
        if debug_mode:
            self._check_hash()
        result = self.compute()
        if save:
            self.store.dump(self.hash(), result)
        self._result = result
        if debug_mode:
            self._check_hash()
        return result

    def compute(self):
        """Call the function on its inputs' values (no store involved)."""
        args = [value(a) for a in self.args]
        kwargs = {k: value(v) for k, v in self.kwargs.items()}
        return self.f(*args, **kwargs)

    def value(self):
        """The result, loaded from the store on first use."""
        if self._result is _UNSET:
            self.load()
        return self._result

    result = property(value, doc="The task's result (loaded from the store if needed).")

    def is_loaded(self):
        return self._result is not _UNSET

    def load(self):
        """Read the result from the store (always, even if already loaded)."""
        try:
            self._result = self.store.load(self.hash())
        except CorruptResult as e:
            raise CorruptTaskResult(self, e) from None
        except KeyError:
            raise TaskHasNoResult(self) from None

    def keep_result(self, result):
        """Hold ``result``, just computed and stored, for the tasks that use it."""
        self._result = result

    def unload(self):
        self._result = _UNSET

    def unload_recursive(self):
        self.unload()
        for dep in recursive_dependencies(self):
            dep.unload()

    def can_load(self, store=None):
        return (store or self.store).can_load(self.hash())

    def invalidate(self):
        """Remove this task's result from the store."""
        self.unload()
        return self.store.remove(self.hash())

    # --- locks --------------------------------------------------------------
    def _getlock(self):
        if self._lock is None:
            self._lock = self.store.getlock(self.hash())
        return self._lock

    def lock(self):
        return self._getlock().get()

    def unlock(self):
        self._getlock().release()

    def is_locked(self):
        return self._getlock().is_locked()

    def fail(self):
        return self._getlock().fail()

    def is_failed(self):
        return self._getlock().is_failed()

    def __repr__(self):
        return f"Task({self.name}, args={self.args!r}, kwargs={self.kwargs!r})"

    def __str__(self):
        return f"Task: {self.name}()"


def tasks_inside(stack, values_only=False):
    """The Tasks in the iterables on ``stack``, through lists, tuples, dicts and
    ``__jug_dependencies__`` (not sets: Jug 2.7 neither waits for nor loads those).
    ``values_only``: not those whose values are never read (inside ``NoLoad``)."""
    while stack:
        for dep in stack.pop():
            if isinstance(dep, Task):
                yield dep
            elif values_only and getattr(dep, "__jug_needs_no_value__", False):
                continue
            elif hasattr(dep, "__jug_dependencies__"):
                stack.append(dep.__jug_dependencies__())
            elif isinstance(dep, (list, tuple)):
                stack.append(dep)
            elif isinstance(dep, dict):
                stack.append(dep.values())


class _getitem:
    """The operation behind ``task[i]``; its key is Jug 2.7's."""

    __slots__ = ("slice",)

    def __init__(self, index):
        self.slice = index

    def __call__(self, obj):
        index = self.slice
        return obj[index if type(index) in _PLAIN_INDEX_TYPES else value(index)]

    def __jug_hash__(self):
        return hash_one(("jug.task._getitem", self.slice))

    def __repr__(self):  # Jug 2.7's text (describe() shows it)
        return f"jug.task._getitem({self.slice})"


class Tasklet(TaskletMixin):
    """``f(value(base))`` computed on demand, never stored (``task[i]`` makes one)."""

    __slots__ = ("base", "f", "_hash")
    __jug_task__ = True

    def __init__(self, base, f):
        self.base = base
        self.f = f
        self._hash = None

    def dependencies(self):
        yield self.base

    __jug_dependencies__ = dependencies

    def value(self):
        return self.f(value(self.base))

    __jug_value__ = value

    def can_load(self):
        return self.base.can_load()

    def is_loaded(self):
        return self.base.is_loaded()

    def unload(self):
        self.base.unload()

    def unload_recursive(self):
        self.base.unload_recursive()

    def __jug_hash__(self):
        if self._hash is None:
            f = self.f
            if getattr(f, "__name__", "") == "<lambda>":
                f = _lambda_hash_key(f)
            M = new_hash_object()
            M.update(b"Tasklet")
            hash_update(M, [("base", self.base), ("f", f)])
            self._hash = M.hexdigest().encode("ascii")
        return self._hash

    hash = __jug_hash__

    def __repr__(self):
        return f"Tasklet({self.base!r}, {self.f!r})"


_PLAIN_INDEX_TYPES = frozenset({int, str, slice, bytes})


class _TaskIndexedTasklet(Tasklet):
    """``task[index]`` where the index holds tasks (``r[t]``): their results are
    inputs too, so whoever uses this waits for them.  (Jug 2.7 loads them when
    the value is needed without waiting for them: the key is the same.)"""

    __slots__ = ()

    def dependencies(self):
        yield self.base
        yield from tasks_inside([[self.f.slice]])

    __jug_dependencies__ = dependencies


def _tasklet_for_index(base, index):
    getter = _getitem(index)
    if next(tasks_inside([[index]]), None) is None:
        return Tasklet(base, getter)
    return _TaskIndexedTasklet(base, getter)


# --- lambdas inside Tasklets: keyed by what they compute, as Jug 2.7 does -------
def _stable(obj):
    # Frozenset constants pickle in hash-randomised order; sets are sorted by digest.
    if type(obj) is frozenset:
        return set(obj)
    if type(obj) is tuple:
        return tuple(_stable(o) for o in obj)
    return obj


def _code_key(code):
    consts = tuple(_code_key(c) if hasattr(c, "co_code") else _stable(c) for c in code.co_consts)
    return (code.co_code, consts, code.co_names)


def _hashable_or_type(obj):
    try:
        hash_one(obj)
    except Exception:
        return ("unhashable", type(obj).__module__, type(obj).__qualname__)
    return _stable(obj)


def _lambda_hash_key(f):
    closure = []
    for cell in f.__closure__ or ():
        try:
            closure.append(_hashable_or_type(cell.cell_contents))
        except ValueError:  # an empty cell
            closure.append(None)
    defaults = tuple(_hashable_or_type(d) for d in f.__defaults__ or ())
    kwdefaults = {k: _hashable_or_type(v) for k, v in (f.__kwdefaults__ or {}).items()}
    return ("<lambda>", _code_key(f.__code__), tuple(closure), defaults, kwdefaults)


_new_task = Task.__new__


class TaskGenerator:
    """Decorator: calling the decorated function returns a Task instead of running it."""

    _jug_is_task_generator = True  # what jug.mapreduce looks for (as in Jug 2.7)
    _plain_name = None  # (f, its task name, or None when f is a partial or lambda), set on first call

    def __init__(self, f):
        self.f = f
        self.__doc__ = getattr(f, "__doc__", None)

    def __call__(self, *args, **kwargs):
        f = self.f
        cached = self._plain_name
        if cached is None or cached[0] is not f:
            plain = not isinstance(f, partial) and getattr(f, "__name__", "") != "<lambda>"
            cached = self._plain_name = (f, f"{f.__module__}.{f.__name__}" if plain else None)
        if cached[1] is None:
            return Task(f, *args, **kwargs)
        # Jugfiles create 10^4-10^6 tasks here: the same as Task(f, ...), minus
        # the checks that cannot fail for a plain function.
        t = _new_task(Task)
        t._define(f, cached[1], args, kwargs)
        return t

    # A TaskGenerator passed as an argument is pickled into the key as a
    # reference (module, name), which only works for top-level functions.
    def __getstate__(self):
        modname = getattr(self.f, "__module__", None)
        fname = getattr(self.f, "__name__", None)
        found = getattr(sys.modules.get(modname), fname, None) if fname else None
        if found is not self and found is not self.f:
            raise RuntimeError(
                f"jug: TaskGenerator {modname}.{fname} cannot be pickled: "
                "define the function at the top level of its module"
            )
        return modname, fname

    def __setstate__(self, state):
        modname, fname = state
        found = getattr(sys.modules[modname], fname)
        self.f = found.f if isinstance(found, TaskGenerator) else found

    def __repr__(self):
        return f"TaskGenerator({getattr(self.f, '__qualname__', self.f)!r})"


class iteratetask:
    """A sequence of ``task[0] .. task[n-1]``, for tasks that return n things."""

    def __init__(self, base, n):
        self.base = base
        self.n = n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return self.base[i]

    def __len__(self):
        return self.n


def _get_check(r, i, n):
    if len(r) != n:
        raise ValueError(f"Expected a tuple of size {n} got {len(r)}")
    return r[i]


def return_tuple(n):
    """Decorator for a TaskGenerator returning an n-tuple: the call returns n Tasklets."""

    def wrapper(generator):
        def wrapped(*args, **kwargs):
            base = generator(*args, **kwargs)
            return tuple(Tasklet(base, partial(_get_check, i=i, n=n)) for i in range(n))

        return wrapped

    return wrapper


# Jug 2.7 pickles these into task keys under its own module name.
present_as("jug.task", TaskGenerator, _get_check, _getitem)


def value(elem):
    """Replace every Task/Tasklet inside ``elem`` (lists, tuples, dicts) by its result."""
    if isinstance(elem, (Task, Tasklet)):
        return elem.value()
    t = type(elem)
    if t is list:
        return [value(e) for e in elem]
    if t is tuple:
        return tuple([value(e) for e in elem])
    if t is dict:
        return {k: value(v) for k, v in elem.items()}
    if hasattr(elem, "__jug_value__"):
        return elem.__jug_value__()
    return elem


def iter_task_keys(tasks):
    """``t.hash()`` for each of ``tasks``, without a method call per task:
    commands that look at every task of a big jugfile start here."""
    t = None
    try:
        for t in tasks:
            h = t._hash
            if h is None:
                if type(t) is Task:
                    h = t._hash = task_key(t.name, t.args, t.kwargs)
                else:  # a subclass may define its key differently
                    h = t.hash()
            yield h
    except Exception as e:  # outside the loop: the loop stays as fast as it was
        raise unhashable_argument(t, e) from e


def task_keys(tasks):
    """``[t.hash() for t in tasks]`` (see iter_task_keys)."""
    return list(iter_task_keys(tasks))


task_name = attrgetter("name")  # for C-level loops: Counter(map(task_name, tasks))


def recursive_dependencies(t, max_level=-1):
    """Each task ``t`` depends on, directly or not, once; up to ``max_level`` levels."""
    if max_level is None or max_level < 0:
        max_level = float("inf")
    if max_level == 0:
        return
    levels_left = {}
    stack = [(iter(t.dependencies()), max_level)]
    while stack:
        deps, level = stack[-1]
        dep = next(deps, None)
        if dep is None:
            stack.pop()
            continue
        previous = levels_left.get(id(dep))
        if previous is not None and previous >= level:
            continue
        if previous is None:
            yield dep
        levels_left[id(dep)] = level
        if level > 1:
            stack.append((iter(dep.dependencies()), level - 1))


def topological_sort(tasks):
    """Sort ``tasks`` in place so that no task comes before one it depends on."""
    ordered = []
    unvisited = set(tasks)
    for root in list(tasks):
        if root not in unvisited:
            continue
        unvisited.discard(root)
        stack = [(root, iter(root.dependencies()))]
        while stack:
            node, deps = stack[-1]
            for dep in deps:
                if dep in unvisited:
                    unvisited.discard(dep)
                    stack.append((dep, iter(dep.dependencies())))
                    break
            else:
                stack.pop()
                ordered.append(node)
    tasks[:] = ordered
