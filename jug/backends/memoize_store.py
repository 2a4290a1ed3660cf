"""``jug.backends.memoize_store`` (re-exported from jugcore.stores.memoize)."""
from jugcore.stores.contract import Lock as base_lock, Store as base_store  # noqa: F401
from jugcore.stores.memoize import MemoizingLock as cache_lock, MemoizingStore as memoize_store  # noqa: F401
