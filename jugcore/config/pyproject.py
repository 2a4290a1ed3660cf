"""``[tool.jug]`` in a pyproject.toml: its keys are [main]'s, and each sub-table
(``[tool.jug.execute]``) is a section.

``tomllib`` (``tomli`` before Python 3.11) gives no line numbers; the line of
each value is found by scanning the text for its table header and key, for
`jug config` and error messages (a key written as a dotted key or inside an
inline table is reported with the file alone).
"""
import re
import sys

from jugcore.config.model import MAIN, ConfigEntry, FileOrigin, normalise_key
from jugcore.errors import JugError

__all__ = ["read_pyproject"]

_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"""\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


def _load_toml(path, text):
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise JugError(f"{path}: not valid TOML: {e}") from None


def read_pyproject(path, text):
    """The entries of ``[tool.jug]`` in the pyproject.toml ``text`` read from ``path``."""
    if "tool.jug" not in text:  # most pyproject.toml files: no TOML parser imported
        return []
    table = _load_toml(path, text).get("tool", {}).get("jug")
    if not isinstance(table, dict):
        return []
    lines = _key_lines(text)
    entries = []
    for section, values in _sections(table):
        for key, value in values.items():
            line = lines.get((section, normalise_key(key)))
            entries.append(ConfigEntry(section, key, value, FileOrigin(path, line)))
    return entries


def _sections(table):
    main = {k: v for k, v in table.items() if not isinstance(v, dict)}
    sections = [(MAIN, main)] if main else []
    sections += [(name, values) for name, values in table.items() if isinstance(values, dict)]
    return sections


def _key_lines(text):
    """{(section, key): line number} for the keys under ``[tool.jug]`` and ``[tool.jug.X]``."""
    lines, section = {}, None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            name = header.group(1).replace('"', "").replace("'", "")
            section = MAIN if name == "tool.jug" else name[len("tool.jug."):] if name.startswith("tool.jug.") else None
            continue
        key = _KEY.match(line)
        if key and section is not None:
            lines.setdefault((section, normalise_key(key.group(1))), number)
    return lines
