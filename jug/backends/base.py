"""``jug.backends.base``: what every store and lock is (jugcore.stores.contract)."""
from jugcore.stores.contract import Lock as base_lock, Store as base_store  # noqa: F401
