"""What to say when a jugdir scheme or a command is missing: the plugin that
provides it is disabled (and how to enable it), or not installed (and what to
install).

The core knows no store and no command by name; these are hints only, for the
distributions jugcore ships, so that `jug shell` without jug-shell says
`pip install jug-shell` rather than "No such command"."""
from jugcore.plugins.manager import canonical_name

__all__ = ["SCHEME_PROVIDERS", "COMMAND_PROVIDERS", "missing_because", "disabled_note"]

SCHEME_PROVIDERS = {
    "file": "jug-file",
    "dict_store": "jug-dictstore",
    "redis": "jug-redis",
    "rediss": "jug-redis",
    "unix": "jug-redis",
    "file_keepalive": "jug-keepalive",
}
COMMAND_PROVIDERS = {"shell": "jug-shell", "pack": "jug-file"}


def missing_because(pm, what, distribution):
    """Why ``what`` (``jug shell``, ``the jugdir scheme 'redis:'``), provided by
    ``distribution``, is missing: (True, the disabled plugin and how to enable
    it) when it is installed but disabled, else (False, how to install it)."""
    for name, (origin, how) in getattr(pm, "disabled", {}).items():
        if canonical_name(origin.distribution) == canonical_name(distribution):
            return True, f"{what} is disabled: it comes from the plugin '{name}' of {distribution}, {how}."
    return False, f"Install it with: pip install {distribution}"


def disabled_note(pm):
    """" (plugins disabled here, ...: x, y)" when some are, else ""."""
    disabled = sorted(getattr(pm, "disabled", {}))
    return f" (plugins disabled here, which may provide it: {', '.join(disabled)})" if disabled else ""
