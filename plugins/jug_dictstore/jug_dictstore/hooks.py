"""Declares `dict_store` (in memory) and `dict_store:PATH` (saved to PATH on close)."""
from jugcore.api import SelfCheckJugdir, StoreBackend, hookimpl


def _open(url):
    from jug_dictstore.store import DictStore

    return DictStore(url.location or None)


@hookimpl
def jug_store_backends():
    return [StoreBackend("dict_store", _open, "results in memory; dict_store:PATH saves them to PATH",
                         "dict_store:run.pkl", shared_between_processes=False)]


@hookimpl
def jug_self_check_jugdirs():
    return [SelfCheckJugdir("dict_store", {"persistence": "`dict_store` keeps its results in memory only"}),
            SelfCheckJugdir("dict_store:run.pkl")]
