"""``jug.backends.dict_store``: the store plugin of ``dict_store`` jugdirs, under Jug 2.7's names."""
from jugcore.face import jug2_store_names
from jugcore.stores.contract import Lock as base_lock, Store as base_store  # noqa: F401

__getattr__, __dir__ = jug2_store_names(__name__, {"dict_store", "dict_lock"}, "dict_store")
