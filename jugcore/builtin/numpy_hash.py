"""numpy arrays in task keys, as Jug 2.7 hashes them (a jug_hash_object plugin)."""
import pickle
import sys

from jugcore.formats.hashing import PICKLE_PROTOCOL, pairs_bytes
from jugcore.plugins import hookimpl


@hookimpl
def jug_hash_object(obj):
    np = sys.modules.get("numpy")  # never import numpy: if it is not loaded, obj is no array
    if np is None or type(obj) is not np.ndarray:
        return None
    header = [b"np.ndarray", pickle.dumps(obj.dtype, PICKLE_PROTOCOL), pickle.dumps(obj.shape, PICKLE_PROTOCOL)]
    if obj.dtype.hasobject:
        # An object array's buffer holds pointers; its elements are what it means.
        return header + [pairs_bytes(enumerate(obj.ravel().tolist()))]
    return header + [obj.data if obj.flags.c_contiguous else obj.copy().data]
