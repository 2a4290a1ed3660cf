"""``jug.hash``: the key functions (re-exported from jugcore.formats.hashing)."""
from jugcore.formats.hashing import (  # noqa: F401
    PICKLE_PROTOCOL as _PICKLE_PROTOCOL, _contains_task, hash_one, hash_update, new_hash_object,
)
