"""jug-dictstore: results in a Python dict, in memory or saved to one file."""
from jug_dictstore.store import DictStore

__all__ = ["DictStore"]
