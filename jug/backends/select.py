"""``jug.backends.select``: open the store a jugdir names (jugcore.face.select_store)."""
from jug.backends import file_store, redis_store  # noqa: F401
from jugcore.face import jug2_store_names, select_store as select  # noqa: F401

__getattr__, __dir__ = jug2_store_names(__name__, {"dict_store"}, "dict_store", declared_in="jug.backends.dict_store")
