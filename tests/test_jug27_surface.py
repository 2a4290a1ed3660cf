"""Jug 2.7's public import surface, walked in a real Jug 2.7.0 venv, against
ours: every public module and name of Jug's `jug` package imports from ours
and is the same kind of object (module, class, function, callable instance,
value).  What we deliberately leave out is listed below with the reason, and
the test fails if Jug stops having it or we start having it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jugcore import JUG_COMPATIBLE_VERSION

WALKER = Path(__file__).resolve().parent / "support" / "public_surface.py"

# Jug's machinery that jugcore replaces rather than imitates: importing these
# is an ImportError or AttributeError, and the README says so.
_BUILT_IN_COMMANDS = "Jug's own command objects (our commands are click commands, run as `jug NAME`)"
LEFT_OUT_MODULES = {
    "jug.subcommands.check": _BUILT_IN_COMMANDS,
    "jug.subcommands.cleanup": _BUILT_IN_COMMANDS,
    "jug.subcommands.count": _BUILT_IN_COMMANDS,
    "jug.subcommands.demo": _BUILT_IN_COMMANDS,
    "jug.subcommands.execute": _BUILT_IN_COMMANDS,
    "jug.subcommands.graph": _BUILT_IN_COMMANDS,
    "jug.subcommands.install_skills": _BUILT_IN_COMMANDS,
    "jug.subcommands.internal_validation": _BUILT_IN_COMMANDS,
    "jug.subcommands.invalidate": _BUILT_IN_COMMANDS,
    "jug.subcommands.pack": _BUILT_IN_COMMANDS,
    "jug.subcommands.shell": _BUILT_IN_COMMANDS,
    "jug.subcommands.status": _BUILT_IN_COMMANDS,
    "jug.subcommands.webstatus": _BUILT_IN_COMMANDS,
    "jug.internal": "Jug's internals, by name",
    "jug.internal.debugger": "Jug's internals, by name (--pdb is ours)",
    "jug.backends.file_keepalive_monitor": "the watchdog process of Jug's keepalive (jug-keepalive uses a thread)",
}
_SCHEDULER = "Jug's scheduler (ours is jugcore.run)"
_ARGPARSE = "Jug's argparse command line and jugrc reader (ours: click and jugcore.config)"
LEFT_OUT_NAMES = {
    "jug.jug.ExecutionState": _SCHEDULER,
    "jug.jug.execution_loop": _SCHEDULER,
    "jug.jug.prepare_matcher_from_options": _SCHEDULER,
    "jug.options.parse": _ARGPARSE,
    "jug.options.build_parser": _ARGPARSE,
    "jug.options.add_common_options": _ARGPARSE,
    "jug.options.key_to_option": _ARGPARSE,
    "jug.options.find_local_configuration_files": _ARGPARSE,
    "jug.options.read_configuration_file": _ARGPARSE,
}


def _surface(python, mode, stdin=None):
    env = dict(os.environ, PYTHONPATH="")
    run = subprocess.run([str(python), str(WALKER), mode], input=stdin, capture_output=True, text=True, env=env,
                         cwd=WALKER.parent)  # a folder with no jug/ of its own
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def jug27_surface(jug27_python):
    return _surface(jug27_python, "walk")


@pytest.fixture(scope="module")
def our_surface(jug27_surface):
    return _surface(sys.executable, "describe", stdin=json.dumps(jug27_surface))


def _theirs(jug27_surface):
    return {(module, name): kind for module, names in jug27_surface.items() if module not in LEFT_OUT_MODULES
            for name, kind in names.items() if f"{module}.{name}" not in LEFT_OUT_NAMES}


def test_the_walk_finds_jugs_public_surface(jug27_surface):
    """The walk itself: the names Jug users write are among those it found."""
    theirs = _theirs(jug27_surface)
    for expected in [("jug", "TaskGenerator"), ("jug.hooks.exit_checks", "exit_after_n_tasks"),
                     ("jug.backends.redis_store", "redis_store"), ("jug.subcommands", "SubCommand"),
                     ("jug.jug_version", "__version__"), ("jug.hash", "hash_one"), ("jug.options", "Options")]:
        assert expected in theirs, expected
    assert len(theirs) > 120, len(theirs)


def test_every_public_name_of_jug27_is_ours_with_the_same_kind(jug27_surface, our_surface):
    ours = {(module, name): our_surface[module].get(name, our_surface[module].get("__module__"))
            for module, name in _theirs(jug27_surface)}
    different = {f"{module}.{name}": f"Jug 2.7: {kind}, ours: {ours[module, name]}"
                 for (module, name), kind in _theirs(jug27_surface).items() if ours[module, name] != kind}
    assert different == {}


def test_what_we_leave_out_is_still_in_jug_and_not_in_ours(jug27_surface, our_surface):
    for module in LEFT_OUT_MODULES:
        assert module in jug27_surface, f"{module} is no longer in Jug 2.7's surface: drop it from the list"
        assert our_surface[module].get("__module__", "").startswith("error: ModuleNotFoundError"), our_surface[module]
    for qualified in LEFT_OUT_NAMES:
        module, _, name = qualified.rpartition(".")
        assert name in jug27_surface[module], qualified
        assert our_surface[module][name] == "missing", f"{qualified} is ours now: drop it from LEFT_OUT_NAMES"


def test_versions_say_which_jug_api_and_which_jugcore(jug27_surface):
    import jug
    import jug.jug_version
    import jugcore

    assert jug.__version__ == jug.jug_version.__version__ == JUG_COMPATIBLE_VERSION == "2.7.0"
    assert jug.jug_version.jugcore_version == jugcore.__version__
    # What jugfiles that check Jug's version compute.
    assert tuple(int(p) for p in jug.__version__.split(".")) >= (2, 7)
