"""``jug.hash``: the key functions (re-exported from jugcore.hashing)."""
from jugcore.hashing import hash_one, hash_update, new_hash_object  # noqa: F401
