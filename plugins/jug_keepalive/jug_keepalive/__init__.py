"""jug-keepalive: the file store whose locks are leases kept alive by a heartbeat,
so that the tasks of killed or frozen workers are taken over by live ones."""
__all__ = ["KeepaliveStore"]


def __getattr__(attr):
    # Importing the package (as the plugin's hooks module does) must not load
    # the store, nor start anything: every `jug` command imports every plugin.
    if attr == "KeepaliveStore":
        from jug_keepalive.store import KeepaliveStore

        return KeepaliveStore
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
