"""``jug.options``: Jug 2's option object and defaults (re-exported from
jugcore.builtin.jug2_subcommands) and ``set_jugdir`` (from jugcore.face)."""
from jug.jug_version import __version__  # noqa: F401
from jugcore.builtin.jug2_subcommands import Options, default_options, load_default_options  # noqa: F401
from jugcore.face import set_jugdir  # noqa: F401
