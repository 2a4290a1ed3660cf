"""jug-keepalive: the file store whose locks are leases kept alive by a heartbeat,
so that the tasks of killed or frozen workers are taken over by live ones."""
from jug_keepalive.store import KeepaliveStore

__all__ = ["KeepaliveStore"]
