"""jugcore and Jug 2.7 both install the ``jug`` import package and the ``jug``
command, and pip lets either be installed over the other: it writes the new
one's files into the same ``jug/`` folder and keeps the old one's extra files,
so that uninstalling either then breaks the other.  A mixed install is
refused, by whichever command runs, with the way out:

* jugcore over Jug 2.7: our `jug` starts, and :func:`check_jug_package`
  finds files only Jug 2.7's wheel has in the ``jug/`` folder (or a ``jug``
  package elsewhere on ``sys.path`` that is not ours, which jugfiles would
  import instead of ours);
* Jug 2.7 over jugcore: Jug's `jug` starts, and its command loader imports
  every module of ``jug/subcommands/``, among them our leftover
  ``_jugcore_guard.py``, which calls :func:`refuse_jug27_over_jugcore`.
"""
import os
import sys

from jugcore.errors import JugError

__all__ = ["check_jug_package", "refuse_jug27_over_jugcore", "OUR_JUG"]

#: Where our `jug` package is: beside jugcore, installed or in the source tree.
OUR_JUG = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "jug"))
# Folders of Jug 2.7's wheel that ours does not have: their presence means pip mixed the two.
_JUG27_ONLY = ("internal", "tests")

_FIX = ("To use jugcore: pip uninstall -y jug jugcore, then pip install jugcore (its plugins stay installed). "
        "To use Jug 2.7: pip uninstall -y jugcore jug, then pip install jug==2.7.0.")


def check_jug_package():
    """JugError if the ``jug`` package Python would import is not ours alone."""
    import importlib.util

    spec = importlib.util.find_spec("jug")
    folder = os.path.dirname(spec.origin) if spec is not None and spec.origin else None
    if folder is None:
        raise JugError(f"the `jug` package of jugcore is missing ({OUR_JUG}): pip install --force-reinstall jugcore")
    if os.path.realpath(folder) != os.path.realpath(OUR_JUG):
        raise JugError(f"Python imports the `jug` package from {folder}, not jugcore's ({OUR_JUG}): jugfiles "
                       "would get another Jug's TaskGenerator. Uninstall the other (pip uninstall jug, in the "
                       "environment it belongs to) or take its folder off PYTHONPATH.")
    if any(os.path.isdir(os.path.join(folder, name)) for name in _JUG27_ONLY):
        raise JugError(_mixed(folder, "jugcore was installed over Jug 2.7"))


def refuse_jug27_over_jugcore():
    """Under Jug 2.7's `jug` (its ``jug.subcommands`` is not ours): print why
    and exit 2.  Under ours, nothing."""
    import jug.subcommands

    if getattr(jug.subcommands, "JUGCORE", False):
        return
    JugError(_mixed(os.path.dirname(os.path.abspath(jug.__file__)), "Jug 2.7 was installed over jugcore")).show()
    sys.exit(2)


def _mixed(folder, what):
    return (f"{what}: both install the `jug` package and command, and {folder} now holds files of both (and "
            f"uninstalling either would break the other). {_FIX}")
