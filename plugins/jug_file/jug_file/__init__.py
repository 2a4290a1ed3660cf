"""jug-file: the file store, a jugdir on a local or shared filesystem, laid out as Jug 2.7 lays it."""
from jug_file.store import FileStore

__all__ = ["FileStore"]
