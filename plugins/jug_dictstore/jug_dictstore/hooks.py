"""Declares `dict_store` (in memory) and `dict_store:PATH` (saved to PATH on close)."""
from jugcore.api import SelfCheckJugdir, StoreBackend, hookimpl

# What `jug.backends.dict_store` names for Jug 2 code that imports it.
_JUG2_NAMES = (("jug.backends.dict_store.dict_store", "jug_dictstore.store:DictStore"),
               ("jug.backends.dict_store.dict_lock", "jug_dictstore.store:DictLock"))


def _open(url):
    from jug_dictstore.store import DictStore

    return DictStore(url.location or None)


@hookimpl
def jug_store_backends():
    return [StoreBackend("dict_store", _open, "results in memory; dict_store:PATH saves them to PATH",
                         "dict_store:run.pkl", shared_between_processes=False, jug2_names=_JUG2_NAMES)]


@hookimpl
def jug_self_check_jugdirs():
    return [SelfCheckJugdir("dict_store", {"persistence": "`dict_store` keeps its results in memory only"}),
            SelfCheckJugdir("dict_store:run.pkl")]
