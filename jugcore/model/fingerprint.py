"""A task function's code fingerprint: what changes when its behaviour may.

Made from the bytecode, the constants and the names it uses, recursively
for nested code objects (inner functions, comprehensions, lambdas), never
from source text or line numbers: an edit of comments, white space or
another function leaves it alone.  Bytecode differs between Python
versions, so the fingerprint starts with the version that made it, and two
fingerprints of different versions cannot be compared (see ``comparable``).

Task keys do not include it (they stay Jug 2.7's); run records keep it, so
that `jug status` can say which results older code made.
"""
import sys
from hashlib import sha1

__all__ = ["code_fingerprint", "comparable"]

_PREFIX = "py%d%d:" % sys.version_info[:2]
_cache = {}  # id(function) -> (function, fingerprint): the function kept alive so its id stays its own


def code_fingerprint(f) -> str:
    """``'py312:<40 hex digits>'`` for the code ``f`` runs, or '' when it has
    none to read (a builtin, a C extension's function)."""
    cached = _cache.get(id(f))
    if cached is not None and cached[0] is f:
        return cached[1]
    code = _code_of(f)
    fingerprint = "" if code is None else _PREFIX + _digest(code)
    _cache[id(f)] = (f, fingerprint)
    return fingerprint


def comparable(a: str, b: str) -> bool:
    """Both fingerprints known and made by the same Python version."""
    return bool(a) and bool(b) and a.split(":", 1)[0] == b.split(":", 1)[0]


def _code_of(f):
    for _ in range(8):  # unwrap partials, decorators, bound methods, callable objects
        code = getattr(f, "__code__", None)
        if code is not None:
            return code
        inner = getattr(f, "func", None) or getattr(f, "__wrapped__", None) or getattr(f, "__func__", None)
        if inner is None:
            call = getattr(type(f), "__call__", None)
            inner = call if getattr(call, "__code__", None) is not None else None
        if inner is None:
            return None
        f = inner
    return None


def _digest(code):
    h = sha1()
    _feed(h, code)
    return h.hexdigest()


def _feed(h, code):
    h.update(code.co_code)
    h.update(repr((code.co_names, code.co_argcount, code.co_kwonlyargcount, code.co_flags)).encode())
    for const in code.co_consts:
        _feed_const(h, const)


def _feed_const(h, const):
    if hasattr(const, "co_code"):
        h.update(b"<code>")
        _feed(h, const)
    elif isinstance(const, (tuple, frozenset)):
        h.update(b"(")
        for item in (const if isinstance(const, tuple) else sorted(const, key=repr)):
            _feed_const(h, item)
        h.update(b")")
    else:
        h.update(type(const).__name__.encode() + b":" + repr(const).encode() + b";")
