"""Jug 2's API for user subcommands (``jug.subcommands``, ``jug.options``): a
``SubCommand`` subclass with a ``name`` and a ``run(options, store,
jugspace)``, instantiated once, becomes `jug NAME`.  Instances register in
``cmdapi``; :mod:`jugcore.builtin.user_commands` turns each into a click
command.  ``Options`` is Jug's chained option object handed to ``run``."""
import copy
from abc import ABCMeta, abstractmethod

__all__ = ["Options", "default_options", "load_default_options", "SubCommand", "SubCommandError",
           "NoSuchCommandError", "SubCommandManager", "cmdapi", "COMMON_DEFAULTS"]

# The options every Jug 2 subcommand has, with Jug's defaults.
COMMON_DEFAULTS = {
    "jugdir": "%(jugfile)s.jugdata", "jugfile": "jugfile.py", "subcommand": None, "aggressive_unload": False,
    "argv": None, "print_out": print, "short": False, "pdb": False, "verbose": "quiet", "debug": False,
    "will_cite": False,
}


class Options:
    """Attributes set here, else looked up in ``next`` (another Options, or
    None to end the chain): command line, then configuration, then defaults."""

    def __init__(self, next, autoinit=False):
        self.next = next
        self._autoinit = autoinit  # called once with this object on the first failed lookup

    def update(self, values):
        for key, value in values.items():
            setattr(self, key, value)

    def copy(self):
        return copy.deepcopy(self)

    def __getattr__(self, name):
        if name.startswith("__") or name == "_autoinit":
            raise AttributeError(name)
        fill, self._autoinit = self.__dict__.get("_autoinit"), False
        if fill:
            fill(self)
            if name in self.__dict__:
                return self.__dict__[name]
        following = self.__dict__.get("next")
        if following is None:
            raise AttributeError(f"no option {name!r}")
        return getattr(following, name)


def load_default_options(options):
    """Set the common options' defaults on ``options`` (an :class:`Options`)."""
    options.update(COMMON_DEFAULTS)


default_options = Options(None)
load_default_options(default_options)


class SubCommandError(Exception):
    """A user subcommand does not follow the API (no name, no docstring, ...)."""


class NoSuchCommandError(Exception):
    """No subcommand of that name is registered."""


class SubCommand(metaclass=ABCMeta):
    """Base of a Jug 2 style subcommand: set ``name``, write ``run(self,
    options, store, jugspace, *args, **kwargs)`` (its return value is the exit
    code, None meaning 0), optionally ``parse(parser)`` (argparse
    ``add_argument`` calls) and ``parse_defaults()`` (a dict of their defaults);
    the class docstring's first line is its help.  Instantiating it registers it."""

    def __init__(self):
        cmdapi._register(self.name, self)
        cmdapi.update_defaults(self.name)

    def __call__(self, *args, **kwargs):
        return self.run(*args, **kwargs)

    @property
    @abstractmethod
    def name(self):
        """The command's name on the command line."""

    def parse(self, parser):
        """Add this command's options to ``parser`` (an argparse parser or group)."""

    def parse_defaults(self):
        """The defaults of the options :meth:`parse` added, by ``dest``: a dict, or None."""

    @abstractmethod
    def run(self, *args, **kwargs):
        """Do the command's work; see the class docstring."""


class SubCommandManager:
    """The registered subcommands, by name, and the defaults of their options."""

    def __init__(self):
        self._commands = {}
        self.default_options = Options(default_options)

    def _register(self, name, command):
        if not isinstance(name, str) or not name:
            raise SubCommandError(f"{type(command).__name__} has no command name: set `name = 'my-command'`")
        self._commands[name] = command

    def update_defaults(self, name):
        defaults = self.get(name).parse_defaults()
        if defaults:
            self.default_options.update(defaults)

    def get(self, name):
        try:
            return self._commands[name]
        except KeyError:
            raise NoSuchCommandError(f"unknown subcommand {name!r}") from None

    def commands(self):
        """{name: SubCommand} of every registered subcommand."""
        return dict(self._commands)

    def run(self, name, *args, **kwargs):
        return self.get(name)(*args, **kwargs)


cmdapi = SubCommandManager()
