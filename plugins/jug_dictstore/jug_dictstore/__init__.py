"""jug-dictstore: results in a Python dict, in memory or saved to one file."""
__all__ = ["DictStore"]


def __getattr__(attr):
    # Importing the package (as the plugin's hooks module does) must not load
    # the store: every `jug` command imports every plugin.
    if attr == "DictStore":
        from jug_dictstore.store import DictStore

        return DictStore
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
