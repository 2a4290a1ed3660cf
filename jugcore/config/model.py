"""What configuration is made of: entries (a value set somewhere), their
origins, and the sources a ``jug_config_sources`` plugin returns."""

__all__ = [
    "MAIN", "ENVIRONMENT", "PROJECT", "USER", "ConfigEntry", "ConfigSource", "FileOrigin", "EnvOrigin",
    "normalise_key",
]

#: The section of options every command shares (``--jugdir``, ``--verbose``, ...).
MAIN = "main"

#: Ranks of sources: a lower rank wins.  The command line (rank 0) and the
#: defaults (last) are not sources; they are the ends of the chain.
ENVIRONMENT = 20
PROJECT = 30
USER = 40


def normalise_key(key):
    """``nr_wait_cycles`` and ``NR-Wait-Cycles`` are ``nr-wait-cycles`` (section names too)."""
    return key.strip().lower().replace("_", "-")


class FileOrigin:
    """A value written in a file, at ``line`` (None where the format does not say)."""

    def __init__(self, path, line=None):
        self.path = str(path)
        self.line = line

    def __str__(self):
        return f"{self.path}:{self.line}" if self.line else self.path

    def show(self):
        return f"file:{self}"


class EnvOrigin:
    """A value from the environment variable ``name``."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return f"environment variable {self.name}"

    def show(self):
        return f"env:{self.name}"


class ConfigEntry:
    """``key = value`` in ``[section]``, as a source read it (value not yet converted)."""

    __slots__ = ("section", "key", "value", "origin")

    def __init__(self, section, key, value, origin):
        self.section = normalise_key(section)  # [sleep_until] is [sleep-until]
        self.key = normalise_key(key)
        self.value = value
        self.origin = origin

    def __repr__(self):
        return f"ConfigEntry([{self.section}] {self.key}={self.value!r} at {self.origin})"


class ConfigSource:
    """A place settings come from.  ``rank`` orders sources (lower wins; sources
    of one rank keep the order their plugin returned them in); ``read(schema)``
    returns the entries.  ``schema`` (a :class:`jugcore.config.schema.Schema`)
    says which keys exist, for sources such as the environment that look keys
    up rather than list them."""

    rank = PROJECT
    warnings = ()  # lines `jug` prints once, when the configuration is checked

    def read(self, schema):
        raise NotImplementedError
