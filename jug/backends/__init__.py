"""``jug.backends``: Jug 2's store modules.  The stores themselves are our
store plugins' (jug-file, jug-dictstore, jug-redis, jug-keepalive); each
module here names them as Jug 2.7 did, loaded on first use."""
from jug.backends import base, dict_store, encode, file_store, redis_store  # noqa: F401
from jug.backends.memoize_store import memoize_store  # noqa: F401  (the class, as in Jug 2.7)
from jug.backends.select import select  # noqa: F401
