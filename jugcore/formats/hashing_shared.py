"""Keys of many tasks at once, each big argument they share fed as few times as possible.

Jugfiles pass one big object to many tasks (``[f(data, p) for p in params]``).
Keyed one by one, every task feeds all of ``data`` to SHA-1 again.  A
:class:`KeyBatch` lives for one batch of keys (the tasks of an import pass,
hashed together by ``task_keys``) and remembers, by identity:

* the SHA-1 state after a function's leading run of big arguments
  (``f(data, ...)``): later tasks with the same objects there copy that state
  and feed only the rest;
* the bytes of a big argument met again elsewhere (``f(p, data)``): it is
  serialised at most twice, then only fed.

``task_key(name, args, kwargs, batch)`` hands it the tasks that have such
an argument.  The keys are ``task_key``'s, byte for byte.  What is remembered holds the
object itself and is dropped with the batch, so no object can die during it
and leave its ``id()`` to another; no jugfile code runs between two keys of
a batch, so an argument cannot change under it (``--debug`` recomputes keys
outside any batch, from the objects as they are).
"""
from jugcore.formats.hashing import _SCALAR_TYPES, _feed, _key_after_args, _label_bytes, _name_prefix

__all__ = ["KeyBatch"]

_CONTAINERS = frozenset({list, tuple, dict, set, frozenset})
# Below these sizes, feeding an argument again costs less than remembering it.
BIG_LEN = 1000  # items of a list, tuple, dict or set
BIG_BYTES = 64 * 1024  # bytes fed for any other object (an array, a pickled object)
# Bytes of arguments kept per batch; past it, arguments are fed again each time.
BYTES_BUDGET = 1 << 30
_AGAIN = object()  # in place of chunks: over the budget, feed the argument again each time


class KeyBatch:
    """``task_key`` for a batch of tasks, remembering big shared arguments (see the module)."""

    __slots__ = ("_states", "_big", "_budget")

    def __init__(self):
        # (name, id(a0), ..., id(ak)): the hash state after those leading arguments,
        # all big, so each is held in _big and its id() is its own while the batch lives.
        self._states = {}
        # id(obj): [obj, its chunks once met twice (None before), or _AGAIN past the budget]
        self._big = {}
        self._budget = BYTES_BUDGET

    def task_key(self, name, args, kwargs):
        """``hashing.task_key(name, args, kwargs)``, which calls this for tasks
        with an argument that may be big."""
        path, state = self._longest_known_run(name, args)
        M = state.copy()
        update = M.update
        in_run = True
        for i in range(len(path) - 1, len(args)):
            arg = args[i]
            update(_label_bytes(i))
            if self._feed_arg(update, arg) and in_run:
                path += (id(arg),)
                self._states[path] = M.copy()
            else:
                in_run = False
        return _key_after_args(M, kwargs)

    def _longest_known_run(self, name, args):
        """(path, hash state) after the longest run of leading arguments already fed."""
        path = (name,)
        state = None
        for arg in args:
            known = self._states.get(path + (id(arg),))
            if known is None:
                break
            path += (id(arg),)
            state = known
        return path, state or _name_prefix(name)

    def _feed_arg(self, update, arg):
        """Feed one argument; True when it is big (and so remembered)."""
        kind = type(arg)
        if kind in _SCALAR_TYPES or getattr(kind, "__jug_task__", False):
            _feed(update, arg)
            return False
        entry = self._big.get(id(arg))
        if entry is not None:
            chunks = entry[1]
            if chunks is None:
                chunks = entry[1] = self._keep_chunks(arg)
            if chunks is _AGAIN:
                _feed(update, arg)
            else:
                for chunk in chunks:
                    update(chunk)
            return True
        if kind in _CONTAINERS:  # a million small chunks: straight into SHA-1
            _feed(update, arg)
            big = len(arg) >= BIG_LEN
        else:  # a few chunks (an array's header and buffer, a pickle)
            chunks = []
            _feed(chunks.append, arg)
            for chunk in chunks:
                update(chunk)
            big = _size(chunks) >= BIG_BYTES
        if big:
            self._big[id(arg)] = [arg, None]
        return big

    def _keep_chunks(self, arg):
        """The chunks ``arg`` feeds, joined where they are many small bytes; or
        _AGAIN when keeping them would pass the budget."""
        chunks = []
        _feed(chunks.append, arg)
        chunks = _joined(chunks)
        size = _size(chunks)
        if size > self._budget:
            return _AGAIN
        self._budget -= size
        return chunks


def _joined(chunks):
    """Consecutive bytes chunks joined; buffers (an array's memory) left as they are."""
    out, run = [], []
    for chunk in chunks:
        if type(chunk) is bytes:
            run.append(chunk)
        else:
            if run:
                out.append(b"".join(run))
                run = []
            out.append(chunk)
    if run:
        out.append(b"".join(run))
    return out


def _size(chunks):
    return sum(c.nbytes if type(c) is memoryview else len(c) for c in chunks)
