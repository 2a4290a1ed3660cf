"""map / currymap / reduce / mapreduce: many small calls grouped into few tasks.

``map`` puts ``map_step`` calls in one task and returns a list-like view of
the results (:class:`BlockAccess`); ``mapreduce`` reduces within each map
task, then in a tree of tasks of ``reduce_step`` inputs each.

The grouping, the helper names (``jug.mapreduce._jug_map`` ...) and the
arguments each task gets are Jug 2.7's, because they make the keys.
"""
import functools

from jugcore.formats.hashing import hash_one
from jugcore.model.jug_names import present_as
from jugcore.model.task import Task, TaskletMixin, value
from jugcore.model.utils import identity

__all__ = ["map", "currymap", "reduce", "mapreduce", "BlockAccess", "BlockAccessSlice"]


def _plain_function(f):
    """The function a TaskGenerator wraps (anything else unchanged).  As in Jug
    2.7 the function is keyed from then on as the generator is, wherever it goes."""
    if not getattr(f, "_jug_is_task_generator", False):
        return f
    generator_key = hash_one(f)
    f = f.f
    f.__jug_hash__ = lambda: generator_key
    return f


def _chunks(sequence, step):
    """``sequence[0:step]``, ``sequence[step:2*step]``, ... (slices keep the type)."""
    for start in range(0, len(sequence), step):
        yield sequence[start:start + step]


# --- what the tasks run ----------------------------------------------------------
def _jug_map(mapper, inputs):
    if mapper is None:
        return list(inputs)
    return [mapper(x) for x in inputs]


def _jug_map_curry(mapper, inputs):
    return [mapper(*x) for x in inputs]


def _jug_map_reduce(reducer, mapper, inputs):
    return functools.reduce(_plain_function(reducer), _jug_map(_plain_function(mapper), inputs))


def _jug_reduce(reducer, inputs):
    return functools.reduce(_plain_function(reducer), inputs)


# --- building the tasks ----------------------------------------------------------
def mapreduce(reducer, mapper, inputs, map_step=4, reduce_step=8):
    """A task for ``functools.reduce(reducer, map(mapper, inputs))``, in groups.

    ``reducer`` must be associative (the order of inputs is kept; the grouping
    is not).  No inputs: ``identity([])``."""
    level = [Task(_jug_map_reduce, reducer, mapper, chunk) for chunk in _chunks(inputs, map_step)]
    while len(level) > 1:
        level = [Task(_jug_reduce, reducer, chunk) for chunk in _chunks(level, reduce_step)]
    return level[0] if level else identity([])


def reduce(reducer, inputs, reduce_step=8):
    """A task for ``functools.reduce(reducer, inputs)`` (``reducer`` associative)."""
    return mapreduce(reducer, None, inputs, reduce_step=reduce_step)


def map(mapper, sequence, map_step=4):
    """``[mapper(x) for x in sequence]`` as tasks of ``map_step`` calls each.

    With ``map_step=1`` a list of Tasks; otherwise a :class:`BlockAccess` (``len``,
    indexing and slicing; pass it, or parts of it, to other tasks)."""
    mapper = _plain_function(mapper)
    if map_step == 1:
        return [Task(mapper, x) for x in sequence]
    blocks = []
    length = 0
    for chunk in _chunks(sequence, map_step):
        blocks.append(Task(_jug_map, mapper, chunk))
        length += len(chunk)
    return BlockAccess(blocks, map_step, length)


def currymap(mapper, sequence, map_step=4):
    """``[mapper(*args) for args in sequence]`` as tasks of ``map_step`` calls each;
    a list of one Tasklet per element (of Tasks with ``map_step=1``)."""
    mapper = _plain_function(mapper)
    if map_step == 1:
        return [Task(mapper, *args) for args in sequence]
    results = []
    for chunk in _chunks(sequence, map_step):
        block = Task(_jug_map_curry, mapper, chunk)
        results.extend(block[i] for i in range(len(chunk)))
    return results


# --- the list-like result of map -------------------------------------------------
class BlockAccess(TaskletMixin):
    """The results of ``map``'s tasks as one sequence: ``blocks[i]`` holds elements
    ``i*block_size`` up to ``(i+1)*block_size``.  ``view[i]`` is a Tasklet,
    ``view[a:b:c]`` a :class:`BlockAccessSlice`."""

    __slots__ = ("blocks", "block_size", "len", "_hvalue")

    def __init__(self, blocks, block_size, len):
        self.blocks = blocks
        self.block_size = block_size
        self.len = len
        self._hvalue = None

    def __getitem__(self, index):
        if isinstance(index, slice):
            return BlockAccessSlice(self, index.indices(self.len))
        if not isinstance(index, int):
            raise TypeError(f"map results are indexed by int or slice, not {type(index).__name__}")
        position = index + self.len if index < 0 else index
        if not 0 <= position < self.len:
            raise IndexError(f"index {index} out of range for {self.len} map results")
        return self.blocks[position // self.block_size][position % self.block_size]

    def __len__(self):
        return self.len

    def __jug_hash__(self):
        if self._hvalue is None:
            self._hvalue = hash_one({
                "type": "map-access", "len": self.len, "blocks": self.blocks, "block_size": self.block_size,
            })
        return self._hvalue

    def __jug_dependencies__(self):
        return self.blocks

    def __jug_value__(self):
        results = []
        for block in self.blocks:
            results.extend(value(block))
        return results

    def can_load(self):
        return all(block.can_load() for block in self.blocks)

    def __repr__(self):
        return f"BlockAccess({len(self.blocks)} tasks, {self.len} results)"


class BlockAccessSlice(TaskletMixin):
    """``view[start:stop:stride]`` of a :class:`BlockAccess`: it needs only the
    blocks its elements are in."""

    __slots__ = ("base", "start", "stop", "stride", "_hvalue")

    def __init__(self, access, indices):
        self.base = access
        self.start, self.stop, self.stride = indices
        self._hvalue = None

    def _range(self):
        return range(self.start, self.stop, self.stride)

    def __getitem__(self, index):
        if isinstance(index, slice):
            sub = self._range()[index]
            return BlockAccessSlice(self.base, (sub.start, sub.stop, sub.step))
        if not isinstance(index, int):
            raise TypeError(f"map results are indexed by int or slice, not {type(index).__name__}")
        return self.base[self._range()[index]]

    def __len__(self):
        return len(self._range())

    def __jug_hash__(self):
        if self._hvalue is None:
            self._hvalue = hash_one({
                "type": "map-access-slice", "base": self.base,
                "start": self.start, "stop": self.stop, "stride": self.stride,
            })
        return self._hvalue

    def __jug_dependencies__(self):
        size = self.base.block_size
        return [self.base.blocks[b] for b in sorted({i // size for i in self._range()})]

    def __jug_value__(self):
        return [value(self[i]) for i in range(len(self))]

    def can_load(self):
        return self.base.can_load()

    def __repr__(self):
        return f"BlockAccessSlice({self.start}:{self.stop}:{self.stride} of {self.base!r})"


present_as("jug.mapreduce", _jug_map, _jug_map_curry, _jug_map_reduce, _jug_reduce, mapreduce, reduce, map,
           currymap, BlockAccess, BlockAccessSlice)
