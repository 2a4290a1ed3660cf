"""Reading a jugrc (INI) file with the line of every value, for error messages
and `jug config`.

The syntax is the subset of ``configparser`` that Jug 2's files use: ``[section]``
headers, ``key = value`` or ``key: value``, whole-line ``#`` / ``;`` comments,
indented continuation lines, keys case-insensitive, no ``%`` interpolation (so
``jugdir = %(jugfile)s.jugdata`` is kept as written).  ``configparser`` itself
cannot say on which line a value was, and costs more to import than a short
`jug status` spends reading its files.
"""
import re

from jugcore.config.model import ConfigEntry, FileOrigin, normalise_key
from jugcore.errors import JugError

__all__ = ["read_ini"]

_SECTION = re.compile(r"\[(?P<name>[^\]]+)\]\s*$")
_ITEM = re.compile(r"(?P<key>[^=:\s][^=:]*?)\s*[=:]\s*(?P<value>.*)$")


def read_ini(path, text):
    """The entries of the INI ``text`` read from ``path``, in file order.

    Raises JugError (naming the file and line) on a line that is neither a
    section header, an item, a comment nor a continuation, on an item before
    any section, and on a key or section given twice."""
    entries, seen_sections, seen_keys, section, last = [], set(), set(), None, None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if line[0].isspace() and last is not None:
            last.value = f"{last.value}\n{stripped}".strip()
            continue
        last = None
        header = _SECTION.match(stripped)
        if header:
            section = normalise_key(header.group("name"))
            _refuse_twice(path, number, section, seen_sections, "section")
            seen_sections.add(section)
            continue
        item = _ITEM.match(stripped)
        if item is None:
            raise JugError(f"{path}:{number}: cannot read {stripped!r}: expected '[section]' or 'key = value'")
        if section is None:
            raise JugError(f"{path}:{number}: '{stripped}' comes before any [section]; put it under [main]")
        key = normalise_key(item.group("key"))
        _refuse_twice(path, number, (section, key), seen_keys, "key")
        seen_keys.add((section, key))
        last = ConfigEntry(section, key, item.group("value").strip(), FileOrigin(path, number))
        entries.append(last)
    return entries


def _refuse_twice(path, number, name, seen, what):
    if name in seen:
        shown = f"[{name}]" if what == "section" else f"'{name[1]}' in [{name[0]}]"
        raise JugError(f"{path}:{number}: {what} {shown} is given twice; keep one")
