"""``jug.backends.file_store``: the store plugins of file (and ``file_keepalive:``) jugdirs, under Jug 2.7's names."""
from jugcore.face import jug2_store_names
from jugcore.formats.encoding import decode_from, encode_to  # noqa: F401
from jugcore.stores.contract import Lock as base_lock, Store as base_store  # noqa: F401
from jugcore.temp_files import fsync_folder as fsync_dir  # noqa: F401

__getattr__, __dir__ = jug2_store_names(
    __name__, {"file_store", "file_based_lock", "file_keepalive_store", "file_keepalive_based_lock",
               "MAX_FILESIZE_IN_PACK"}, "file")
