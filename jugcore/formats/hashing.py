"""Task keys: the SHA-1 that names a task's result in every store.

The byte stream fed to SHA-1 is Jug 2.7's, so results cached by Jug are found
by us and the other way round (docs/formats.md lists the rules).
Objects are fed as (label, element) pairs: the label pickled, then the
element's own bytes.  Pickle protocol 4 is pinned: Python 3.14 changes the
default protocol, and a key that moves with the interpreter loses every
cached result.

Types the core does not know are offered to the ``jug_hash_object`` hook
(numpy is one such implementation) before falling back to pickle.
"""
import hashlib
import pickle
import struct

__all__ = ["hash_update", "hash_one", "new_hash_object", "task_key", "pairs_bytes", "use_object_hook"]

PICKLE_PROTOCOL = 4

_dumps = pickle.dumps
_sha1 = hashlib.sha1
_SCALAR_TYPES = frozenset({int, str, float, bytes, bool, type(None), complex})
_TYPE_REPR = {list: repr(list).encode(), tuple: repr(tuple).encode()}
# Pickled small integer labels (list/tuple positions) are the hottest bytes here.
_INT_LABELS = [_dumps(i, PICKLE_PROTOCOL) for i in range(1024)]
_STR_LABELS = {}
_STR_DIGESTS = {}  # hash_one(str) for dict keys; bounded so argument dicts cannot grow it forever
_STR_DIGESTS_MAX = 65536

_declined_types = set()
# Called as object_hook(obj) for types the core does not know: chunks of bytes,
# or None to decline.  Set by whoever owns the plugins (jugcore.app.use_app).
object_hook = None


def use_object_hook(hook):
    """Offer objects of unknown types to ``hook(obj)`` (the ``jug_hash_object``
    hook of the plugins in use), or to nobody when ``hook`` is None."""
    global object_hook
    object_hook = hook
    _declined_types.clear()


def new_hash_object():
    """A fresh SHA-1 object, the hash every key is made with."""
    return _sha1()


def _label_bytes(label):
    t = type(label)
    if t is int and 0 <= label < 1024:
        return _INT_LABELS[label]
    if t is str:
        cached = _STR_LABELS.get(label)
        if cached is None:
            cached = _STR_LABELS[label] = _dumps(label, PICKLE_PROTOCOL)
        return cached
    return _dumps(label, PICKLE_PROTOCOL)


def hash_update(M, elems):
    """Feed (label, object) pairs into the hash object ``M``; returns ``M``."""
    update = M.update
    for label, element in elems:
        update(_label_bytes(label))
        _feed(update, element)
    return M


def _feed(update, e):
    t = type(e)
    if t in _SCALAR_TYPES:
        update(_dumps(e, PICKLE_PROTOCOL))
    elif t is list or t is tuple:  # exact builtins cannot carry __jug_hash__
        update(_TYPE_REPR[t])
        for i, item in enumerate(e):
            update(_label_bytes(i))
            _feed(update, item)
    elif t is dict:
        update(b"dict")
        for digest, v in sorted(((_key_digest(k), v) for k, v in e.items()), key=_first):
            update(_dumps(digest, PICKLE_PROTOCOL))
            _feed(update, v)
    elif t is set or t is frozenset:
        update(b"set" if t is set else b"frozenset")
        for i, digest in enumerate(sorted(hash_one(item) for item in e)):
            update(_label_bytes(i))
            update(_dumps(digest, PICKLE_PROTOCOL))
    else:
        custom = getattr(e, "__jug_hash__", None)
        if custom is not None:
            update(custom())
        else:
            _feed_other(update, e, t)


def _first(pair):
    return pair[0]


def _key_digest(k):
    if type(k) is not str:
        return hash_one(k)
    digest = _STR_DIGESTS.get(k)
    if digest is None:
        digest = hash_one(k)
        if len(_STR_DIGESTS) < _STR_DIGESTS_MAX:
            _STR_DIGESTS[k] = digest
    return digest


def _feed_other(update, e, t):
    if object_hook is not None and t not in _declined_types:
        chunks = object_hook(e)
        if chunks is not None:
            if isinstance(chunks, (bytes, bytearray, memoryview)):
                update(chunks)
            else:
                for chunk in chunks:
                    update(chunk)
            return
        _declined_types.add(t)
    if isinstance(e, (list, tuple)) and _contains_task(e):
        raise TypeError(
            f"jug: a {t.__name__} (a subclass of list or tuple, such as a namedtuple) "
            "holds a Task; Jug cannot hash that. Pass a plain list, tuple or dict instead."
        )
    update(_dumps(e, PICKLE_PROTOCOL))


def _contains_task(obj):
    stack = [obj]
    while stack:
        e = stack.pop()
        if getattr(type(e), "__jug_task__", False):  # Task and Tasklet say so (no import of the model here)
            return True
        if hasattr(e, "__jug_dependencies__"):
            stack.extend(e.__jug_dependencies__())
        elif isinstance(e, (list, tuple, set, frozenset)):
            stack.extend(e)
        elif isinstance(e, dict):
            stack.extend(e.values())
    return False


def hash_one(obj):
    """The hex digest (bytes) of a single object, fed as the pair ('hash1', obj)."""
    M = _sha1(_label_bytes("hash1"))
    _feed(M.update, obj)
    return M.hexdigest().encode("ascii")


class _Collector:
    """Stands in for a hash object and keeps what is fed, for hook implementations."""

    __slots__ = ("chunks",)

    def __init__(self):
        self.chunks = []

    def update(self, data):
        self.chunks.append(bytes(data))


def pairs_bytes(pairs):
    """The bytes ``hash_update`` would feed for ``pairs``: for ``jug_hash_object``
    implementations whose type contains ordinary objects (e.g. object arrays)."""
    collector = _Collector()
    hash_update(collector, pairs)
    return b"".join(collector.chunks)


_NAME_PREFIXES = {}
_EMPTY_KWARGS = _label_bytes("kwargs") + b"dict"
_ONE_ARG_LABEL = _label_bytes(0)


def _one_int_arg_packer(code, size):
    """For f(i) with ``i`` pickled by opcode ``code`` as ``size`` little-endian
    bytes in a frame of its own: (packer, head) so that ``packer(head, i, tail)``
    is the whole chunk fed after the name.  The pickler costs more than the
    rest of such a key; the bytes are pickle's own (tests compare them)."""
    head = _ONE_ARG_LABEL + b"\x80\x04\x95" + (size + 2).to_bytes(8, "little") + code
    return struct.Struct(f"<{len(head)}s{'H' if size == 2 else 'i'}{len(_AFTER_INT)}s").pack, head


_AFTER_INT = b"." + _EMPTY_KWARGS
# The whole chunk for f(0) .. f(255): one opcode and one byte, too short for a frame.
_ONE_SMALL_INT_ARG = [_ONE_ARG_LABEL + _dumps(i, PICKLE_PROTOCOL) + _EMPTY_KWARGS for i in range(256)]
_pack_uint16_arg, _UINT16_HEAD = _one_int_arg_packer(b"M", 2)
_pack_int32_arg, _INT32_HEAD = _one_int_arg_packer(b"J", 4)


def task_key(name, args, kwargs, batch=None):
    """The key of a task: SHA-1 of ('name', name), ('args', args), ('kwargs', kwargs).

    The hash state after the name is the same for every task of a function,
    so it is computed once and copied; ``args`` is always a tuple.  A task
    with an argument that is neither a plain value nor a task is handed to
    ``batch`` (a hashing_shared.KeyBatch) when there is one."""
    prefix = _NAME_PREFIXES.get(name)
    if prefix is None:
        prefix = _name_prefix(name)
    M = prefix.copy()
    if len(args) == 1 and not kwargs:
        # f(i): most of the 10^5-10^6 tasks of big jugfiles.  One update, no loop.
        arg = args[0]
        kind = type(arg)
        if kind is int and 0 <= arg < 65536:
            M.update(_ONE_SMALL_INT_ARG[arg] if arg < 256 else _pack_uint16_arg(_UINT16_HEAD, arg, _AFTER_INT))
            return M.hexdigest().encode("ascii")
        if kind is int and -2147483648 <= arg < 2147483648:
            M.update(_pack_int32_arg(_INT32_HEAD, arg, _AFTER_INT))
            return M.hexdigest().encode("ascii")
        if kind in _SCALAR_TYPES:
            M.update(_ONE_ARG_LABEL + _dumps(arg, PICKLE_PROTOCOL) + _EMPTY_KWARGS)
            return M.hexdigest().encode("ascii")
    # Most other tasks take a few plain values: feed them as one chunk.
    parts = []
    for i, arg in enumerate(args):
        if type(arg) not in _SCALAR_TYPES:
            break
        parts.append(_label_bytes(i))
        parts.append(_dumps(arg, PICKLE_PROTOCOL))
    else:
        if not kwargs:
            parts.append(_EMPTY_KWARGS)
            M.update(b"".join(parts))
            return M.hexdigest().encode("ascii")
    first_other = len(parts) // 2
    if batch is not None:
        for arg in args[first_other:]:
            kind = type(arg)
            if kind not in _SCALAR_TYPES and not getattr(kind, "__jug_task__", False):
                return batch.task_key(name, args, kwargs)
    update = M.update
    update(b"".join(parts))
    for i in range(first_other, len(args)):
        update(_label_bytes(i))
        _feed(update, args[i])
    return _key_after_args(M, kwargs)


def _key_after_args(M, kwargs):
    """Feed ('kwargs', kwargs) to ``M``, fed the name and arguments; the key."""
    if kwargs:
        M.update(_label_bytes("kwargs"))
        _feed(M.update, kwargs)
    else:
        M.update(_EMPTY_KWARGS)
    return M.hexdigest().encode("ascii")


def _name_prefix(name):
    """The hash state after the name and the start of the arguments (not to be updated: copy it)."""
    prefix = _NAME_PREFIXES.get(name)
    if prefix is not None:
        return prefix
    prefix = _sha1()
    hash_update(prefix, [("name", name.encode("utf-8"))])
    prefix.update(_label_bytes("args") + _TYPE_REPR[tuple])
    if len(_NAME_PREFIXES) < 100000:
        _NAME_PREFIXES[name] = prefix
    return prefix
