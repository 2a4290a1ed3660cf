"""Namespaces whose names load on first use: a package that every `jug`
command imports (``jugcore.api``, a plugin's package) offers its names
without importing the modules behind them until one is asked for."""
import importlib

__all__ = ["lazy_names"]


def lazy_names(namespace, homes):
    """(``__all__``, ``__getattr__``, ``__dir__``) for the module whose globals
    are ``namespace``: ``homes`` maps a module's name to the names it serves."""
    home_of = {name: module for module, names in homes.items() for name in names}
    names = sorted(home_of)
    title = namespace["__name__"]

    def getattr_(name):
        module = home_of.get(name)
        if module is None:
            raise AttributeError(f"{title} has no {name!r}; it offers {', '.join(names)}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # the next lookup is a plain attribute
        return value

    return names, getattr_, lambda: names
