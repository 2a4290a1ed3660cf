"""``jug.backends.redis_store``: the store plugin of ``redis://`` jugdirs, under Jug 2.7's names."""
from jugcore.face import jug2_store_names
from jugcore.formats.encoding import decode, encode  # noqa: F401
from jugcore.stores.contract import Lock as base_lock, Store as base_store  # noqa: F401

__getattr__, __dir__ = jug2_store_names(__name__, {"redis_store", "redis_lock"}, "redis")
