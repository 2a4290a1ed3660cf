"""The configuration in force: every source's entries merged by precedence, each
value remembering where it came from.

Sources are ordered by rank (environment, project files, user file), and
within one source a command's own section beats ``[main]``: for
``execute.jugdir`` the winner is the first source that sets ``[execute]
jugdir`` or ``[main] jugdir``, and in that source ``[execute]``.  The command
line beats all of them (click fills in the rest from :meth:`Config.default_map`).
"""

import click

from jugcore.config.model import MAIN, normalise_key
from jugcore.errors import JugError, warn

__all__ = ["Config", "Resolved"]


class Resolved:
    """A setting's effective ``value`` and its ``origin`` (None: the default)."""

    def __init__(self, setting, value, origin):
        self.setting = setting
        self.value = value
        self.origin = origin

    def show_origin(self):
        return self.origin.show() if self.origin is not None else "default"


class Config:
    """The entries of ``sources`` (read once, in precedence order) over ``schema``."""

    def __init__(self, schema, sources):
        self.schema = schema
        self.sources = sorted(sources, key=lambda source: source.rank)
        self._entries = {}
        self._read = []
        for index, source in enumerate(self.sources):
            for entry in source.read(schema):
                self._read.append(entry)
                self._entries.setdefault((entry.section, entry.key), []).append((index, entry))

    def entries(self):
        """Every entry read, highest precedence first."""
        return list(self._read)

    def _winner(self, section, key):
        candidates = [(index, 0, entry) for index, entry in self._entries.get((section, key), ())[:1]]
        if section != MAIN:
            candidates += [(index, 1, entry) for index, entry in self._entries.get((MAIN, key), ())[:1]]
        return min(candidates, key=lambda c: c[:2])[2] if candidates else None

    def resolve(self, setting, section=None):
        """The :class:`Resolved` value of ``setting`` (for a command's option,
        ``section`` is that command)."""
        entry = self._winner(section or setting.section, setting.key)
        if entry is None:
            return Resolved(setting, setting.default, None)
        return Resolved(setting, _convert(setting, entry), entry.origin)

    def get(self, name):
        """The value of the setting ``"section.key"`` (or ``"key"`` in [main])."""
        return self.lookup(name).value

    def lookup(self, name):
        """The :class:`Resolved` setting ``"section.key"`` (``"key"``: [main]); a
        command's section also takes the shared options (``execute.jugdir``).
        JugError, with a "did you mean", for a name that is no setting."""
        section, _, key = name.rpartition(".")
        section, key = section or MAIN, normalise_key(key)
        setting = self.schema.listed.get(f"{section}.{key}") or self.schema.by_command.get(section, {}).get(key)
        if setting is None:
            full = f"{section}.{key}"
            raise JugError(f"there is no setting {full}{_did_you_mean(full, self.schema.listed)}; "
                           "`jug config` lists them all")
        return self.resolve(setting, section)

    def default_map(self):
        """click's ``default_map``: {command: {parameter name: value}} for every option
        some source sets."""
        result = {}
        for command, options in self.schema.by_command.items():
            found = {}
            for setting in options.values():
                if self._winner(command, setting.key) is not None:
                    found[setting.param.name] = self.resolve(setting, command).value
            if found:
                result[command] = found
        return result

    def check(self):
        """Convert every entry (JugError on a wrong type, naming where it was set),
        warn on stderr about each unknown section and key, with a "did you mean",
        and say what each source has to say (a file left unread)."""
        for source in self.sources:
            for message in source.warnings:
                warn(message)
        warned_sections = set()
        for entry in self.entries():
            targets = self.schema.targets(entry.section, entry.key)
            for setting in targets:
                _convert(setting, entry)
            if not targets:
                self._warn_unknown(entry, warned_sections)

    def _warn_unknown(self, entry, warned_sections):
        where = getattr(entry.origin, "path", str(entry.origin))
        if entry.section not in self.schema.sections:
            if (where, entry.section) not in warned_sections:
                warned_sections.add((where, entry.section))
                hint = _did_you_mean(entry.section, self.schema.sections, "[{}]")
                warn(f"{entry.origin}: unknown section [{entry.section}], ignored{hint}")
            return
        hint = _did_you_mean(entry.key, self.schema.keys_of(entry.section))
        warn(f"{entry.origin}: unknown key '{entry.key}' in [{entry.section}], ignored{hint}")


def _convert(setting, entry):
    try:
        return setting.convert(entry.value)
    except click.BadParameter as e:
        # click's boolean message lists its spellings, the empty one first
        # ("Recognized values: , 0, 1, f, ..."): say it as a person would.
        problem = (f"{entry.value!r} is not true or false (use true/false, yes/no, on/off or 1/0)"
                   if getattr(setting.type, "name", "") == "boolean" else e.message)
        raise JugError(f"{entry.origin}: [{entry.section}] {entry.key}: {problem}") from None


def _did_you_mean(word, candidates, form="'{}'"):
    import difflib  # 1 ms: only a misspelt key needs it

    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean {form.format(close[0])}?" if close else ""


