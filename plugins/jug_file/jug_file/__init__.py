"""jug-file: the file store, a jugdir on a local or shared filesystem, laid out as Jug 2.7 lays it."""
__all__ = ["FileStore"]


def __getattr__(attr):
    # Importing the package (as the plugin's hooks module does) must not load
    # the store: every `jug` command imports every plugin.
    if attr == "FileStore":
        from jug_file.store import FileStore

        return FileStore
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
