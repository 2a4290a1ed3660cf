"""`jug shell` where jug-shell is not installed, or disabled: say which, and what to do."""
from jugcore.errors import JugError
from jugcore.plugins.missing import COMMAND_PROVIDERS, missing_because

__all__ = ["fail_if_provided_elsewhere"]


def fail_if_provided_elsewhere(pm, name):
    """Raise a JugError for the command ``name`` this `jug` lacks when a plugin
    we know of provides it; return otherwise (click then says "No such command")."""
    distribution = COMMAND_PROVIDERS.get(name)
    if distribution is None:
        return
    disabled, why = missing_because(pm, f"jug {name}", distribution)
    if not disabled:
        why = f"jug {name} needs the plugin {distribution}, which is not installed. {why}"
    raise JugError(why, exit_code=2)
