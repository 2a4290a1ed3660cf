"""Finding the installed plugins (entry points in group ``jug``), with a cache.

Scanning needs ``importlib.metadata``, whose import alone costs more than the
rest of a short `jug status`.  The scan's result is cached in the user's
cache folder under a key made of ``sys.path``, the ``*.dist-info`` and
``*.egg-info`` folders in each of its folders, and the size and modification
time of each one's ``entry_points.txt``: installing or removing a
distribution changes the names, and editing its entry points in place (an
editable install rebuilt, a hand edit) changes the file's time, so either
changes the key.  ``JUG_PLUGIN_CACHE=0`` turns the cache off.
"""
import hashlib
import importlib
import marshal
import os
import sys

from jugcore.dirs import user_cache_dir

__all__ = ["FoundEntryPoint", "find_entry_points"]

GROUP = "jug"
_CACHE_VERSION = 6
_CACHE_KEYS = 4  # per environment: `jug` and its -j workers (`python -c`) see different sys.paths


class FoundEntryPoint:
    """An entry point of group ``jug``: ``name = "module:attr"`` in the
    distribution ``distribution`` at ``version`` (read once, when scanned)."""

    __slots__ = ("name", "value", "distribution", "version")

    def __init__(self, name, value, distribution="", version=""):
        self.name = name
        self.value = value
        self.distribution = distribution
        self.version = version

    def load(self):
        module, _, attrs = self.value.partition(":")
        obj = importlib.import_module(module.strip())
        for attr in filter(None, attrs.strip().split(".")):
            obj = getattr(obj, attr)
        return obj


def _scan():
    from importlib import metadata  # 17 ms: the cache exists to avoid it

    found = []
    for dist in metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == GROUP:
                found.append(FoundEntryPoint(ep.name, ep.value, dist.metadata["Name"] or "", dist.version or ""))
    return found


def _cache_key():
    parts = [sys.version, str(_CACHE_VERSION)]
    for entry in sys.path:
        parts.append(entry)
        parts.extend(_distributions_in(entry))
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def _distributions_in(folder):
    """'name size mtime' of each distribution's entry_points.txt in ``folder``."""
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return []
    found = []
    for name in sorted(n for n in names if n.endswith((".dist-info", ".egg-info"))):
        try:
            info = os.stat(os.path.join(folder or ".", name, "entry_points.txt"))
            found.append(f"{name} {info.st_size} {info.st_mtime_ns}")
        except OSError:
            found.append(name)  # no entry points (or an .egg-info file): only its presence counts
    return found


def _cache_file():
    # One file per Python environment: venvs side by side do not evict each other.
    return os.path.join(user_cache_dir(), f"entry-points-{_environment_id()}.marshal")


def _environment_id():
    return hashlib.sha1(os.path.abspath(sys.prefix).encode()).hexdigest()[:16]


def find_entry_points():
    """Every entry point of group ``jug``, in sys.path order: a name may come more
    than once (a distribution seen twice, or two distributions using one name)."""
    if os.environ.get("JUG_PLUGIN_CACHE", "1") == "0":
        return _scan()
    key, path = _cache_key(), _cache_file()
    try:
        with open(path, "rb") as f:
            # The cache names modules to import: one another user wrote is not ours to trust.
            if os.fstat(f.fileno()).st_uid != os.geteuid():
                return _scan()
            cached = marshal.load(f)
        rows = cached["entries"].get(key) if cached.get("version") == _CACHE_VERSION else None
        if rows is not None:
            return [FoundEntryPoint(*row) for row in rows]
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        cached = None
    found = _scan()
    _write_cache(path, cached, key, found)
    return found


def _write_cache(path, cached, key, found):
    entries = cached["entries"] if cached and cached.get("version") == _CACHE_VERSION else {}
    entries = dict(list(entries.items())[-(_CACHE_KEYS - 1):])
    entries[key] = [[ep.name, ep.value, ep.distribution, ep.version] for ep in found]
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        from jugcore.temp_files import replacing  # here: only a cache miss writes

        with replacing(path) as f:
            marshal.dump({"version": _CACHE_VERSION, "entries": entries}, f)
    except OSError:
        pass  # a read-only home only costs the scan next time
