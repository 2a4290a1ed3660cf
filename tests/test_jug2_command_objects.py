"""Jug 2's command objects (``jug.subcommands.status.status``, ...), its
options parser (``jug.options.parse``) and its scheduler entry point
(``jug.jug.execution_loop``), used as Jug 2.7 scripts use them: the same
script runs in a real process with Jug 2.7 and with ours, on a real jugdir,
and what is observable (exit codes, files, Jug's option names) is the same."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from pytest_jug import jug_environ

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def double(x):
    return 2 * x

@TaskGenerator
def add(*values):
    return sum(values)

xs = [double(i) for i in range(4)]
total = add(xs[0], xs[3])
"""

# Runs `jug ARGS` as Jug 2.7's own main does it, through the command object of
# jug.subcommands.MODULE: parse, init for the commands that read the jugfile
# first, then run(options=, store=, jugspace=); the exit code is run's.
RUN_COMMAND_OBJECT = """\
import importlib, sys
import jug.jug
from jug.options import parse

module, attribute, args = sys.argv[1], sys.argv[2], sys.argv[3:]
command = getattr(importlib.import_module("jug.subcommands." + module), attribute)
options = parse(args)
store = jugspace = None
if options.subcommand not in ("demo", "install-skills", "status", "execute", "webstatus", "test-jug"):
    store, jugspace = jug.jug.init(options.jugfile, options.jugdir)
sys.exit(command.run(options=options, store=store, jugspace=jugspace) or 0)
"""


def _run(python, folder, *args, env=None):
    environ = jug_environ(dict(env or {}, PYTHONPATH=None))
    return subprocess.run([str(python), *args], cwd=folder, env=environ, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture
def folders(tmp_path, jug27_python):
    """{"jug27": (python, folder), "ours": (python, folder)}: one jugfile each."""
    sides = {}
    for side, python in (("jug27", jug27_python), ("ours", sys.executable)):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "jugfile.py").write_text(JUGFILE)
        (folder / "run_command.py").write_text(RUN_COMMAND_OBJECT)
        sides[side] = (python, folder)
    return sides


def _both(folders, module, attribute, *args):
    """{side: CompletedProcess} of the command object run with `jug ARGS` on each side."""
    return {side: _run(python, folder, "run_command.py", module, attribute, *args)
            for side, (python, folder) in folders.items()}


def _codes(runs):
    return {side: run.returncode for side, run in runs.items()}


def test_status_check_and_execute_objects_exit_as_jugs(folders):
    assert _codes(_both(folders, "status", "status", "status", "jugfile.py")) == {"jug27": 1, "ours": 1}
    assert _codes(_both(folders, "check", "check", "check", "jugfile.py")) == {"jug27": 1, "ours": 1}
    executed = _both(folders, "execute", "execute", "execute", "jugfile.py")
    assert _codes(executed) == {"jug27": 0, "ours": 0}, executed["ours"].stderr
    for side, (_, folder) in folders.items():
        assert (folder / "jugfile.jugdata").is_dir(), side  # the default jugdir, as `jug execute` makes it
    assert _codes(_both(folders, "status", "status", "status", "jugfile.py")) == {"jug27": 0, "ours": 0}
    assert _codes(_both(folders, "status", "status", "status", "jugfile.py", "--cache")) == {"jug27": 0, "ours": 0}
    assert _codes(_both(folders, "check", "sleep_until", "sleep-until", "jugfile.py")) == {"jug27": 0, "ours": 0}
    counted = _both(folders, "count", "count", "count", "jugfile.py")
    assert _codes(counted) == {"jug27": 0, "ours": 0}
    assert all("double" in run.stdout for run in counted.values()), counted["ours"].stdout


def test_invalidate_and_cleanup_objects_take_jugs_option_names(folders):
    _both(folders, "execute", "execute", "execute", "jugfile.py")
    invalidated = _both(folders, "invalidate", "invalidate", "invalidate", "jugfile.py", "--target", "add")
    assert _codes(invalidated) == {"jug27": 0, "ours": 0}, invalidated["ours"].stderr
    assert _codes(_both(folders, "check", "check", "check", "jugfile.py")) == {"jug27": 1, "ours": 1}
    (_, ours) = folders["ours"]
    assert _codes(_both(folders, "execute", "execute", "execute", "jugfile.py", "--name", "double")) == \
        {"jug27": 0, "ours": 0}
    assert _codes(_both(folders, "check", "check", "check", "jugfile.py")) == {"jug27": 1, "ours": 1}
    cleaned = _both(folders, "cleanup", "cleanup", "cleanup", "jugfile.py", "--keep-locks")
    assert _codes(cleaned) == {"jug27": 0, "ours": 0}, cleaned["ours"].stderr


def test_demo_and_install_skills_objects_write_what_the_commands_write(folders):
    demo = _both(folders, "demo", "demo", "demo")
    assert _codes(demo) == {"jug27": 0, "ours": 0}, demo["ours"].stderr
    for side, (_, folder) in folders.items():
        assert any(p.suffix == ".py" for p in (folder / "jug-demo").iterdir()), side
    installed = _both(folders, "install_skills", "install_skills", "install-skills", "--output", "skills")
    assert _codes(installed) == {"jug27": 0, "ours": 0}, installed["ours"].stderr
    for side, (_, folder) in folders.items():
        assert (folder / "skills" / "jug").is_dir(), side
    again = _both(folders, "install_skills", "install_skills", "install-skills", "--output", "skills")
    assert all(run.returncode != 0 for run in again.values())  # it exists: --force is needed on both


def test_pack_object_runs_the_jug_file_plugins_command(folders):
    _both(folders, "execute", "execute", "execute", "jugfile.py")
    packed = _both(folders, "pack", "pack", "pack", "jugfile.py")
    assert _codes(packed) == {"jug27": 0, "ours": 0}, packed["ours"].stderr
    assert _codes(_both(folders, "status", "status", "status", "jugfile.py")) == {"jug27": 0, "ours": 0}


def test_a_command_object_of_a_disabled_plugin_says_so(folders):
    python, folder = folders["ours"]
    run = _run(python, folder, "run_command.py", "shell", "shell", "shell", "jugfile.py",
               env={"JUG_DISABLE_PLUGINS": "shell"})
    assert run.returncode != 0
    assert "jug shell is disabled" in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_positional_arguments_follow_jugs_order(folders):
    """Jug's check takes (store, options): a script calling it so works the same."""
    script = textwrap.dedent("""\
        import sys
        import jug.jug
        from jug.options import parse
        from jug.subcommands.check import check
        options = parse(["check", "jugfile.py"])
        store, _ = jug.jug.init(options.jugfile, options.jugdir)
        sys.exit(check.run(store, options))
    """)
    for side, (python, folder) in folders.items():
        (folder / "positional.py").write_text(script)
        assert _run(python, folder, "positional.py").returncode == 1, side


def test_output_goes_to_jugs_print_out(folders):
    script = textwrap.dedent("""\
        import jug
        from jug.options import parse
        from jug.subcommands.count import count
        options = parse(["count", "jugfile.py"])
        lines = []
        options.print_out = lambda *words, **_: lines.append(" ".join(map(str, words)))
        store, _ = jug.init(options.jugfile, options.jugdir)
        code = count.run(store, options)
        print("code", code or 0, "lines", sum("double" in line for line in lines))  # Jug: None
    """)
    for side, (python, folder) in folders.items():
        (folder / "print_out.py").write_text(script)
        run = _run(python, folder, "print_out.py")
        assert run.stdout.splitlines() == ["code 0 lines 1"], (side, run)


_SHOW_OPTIONS = """\
import json, sys
from jug.options import parse
options = parse(sys.argv[1:])
names = ["subcommand", "jugfile", "jugdir", "verbose", "debug", "pdb", "short", "aggressive_unload",
         "execute_keep_going", "execute_name", "execute_pattern", "execute_wait_cycle_time",
         "execute_nr_wait_cycles", "execute_keep_failed", "status_cache", "status_cache_file",
         "cleanup_locks_only", "invalid_name", "graph_format", "install_skills_force", "webstatus_port"]
print(json.dumps({name: repr(getattr(options, name)) for name in names}))
print(json.dumps(sys.argv))
"""


@pytest.mark.parametrize("args", [
    ["status", "jugfile.py"],
    ["execute", "jugfile.py", "--keep-going", "--name", "double", "--wait-cycle-time", "3", "--pdb"],
    ["execute", "jugfile.py", "--target", "add", "--jugdir", "%(jugfile)s.results", "--verbose", "info"],
    ["cleanup", "jugfile.py", "--locks-only", "--short"],
    ["invalidate", "other.py", "--invalid", "double"],
    ["graph", "--file-format", "svg", "--will-cite"],
])
def test_options_parse_gives_jugs_names_and_values(folders, args):
    lines = {}
    for side, (python, folder) in folders.items():
        (folder / "show_options.py").write_text(_SHOW_OPTIONS)
        run = _run(python, folder, "show_options.py", *args)
        assert run.returncode == 0, (side, run.stderr)
        lines[side] = [json.loads(line) for line in run.stdout.splitlines()[-2:]]
    assert lines["ours"] == lines["jug27"]


def test_jugrc_settings_reach_parse_as_jug_names_them(folders):
    jugrc = "[main]\njugdir = from-rc.%(jugfile)s\n\n[execute]\nkeep-going = on\nnr-wait-cycles = 7\n"
    lines = {}
    for side, (python, folder) in folders.items():
        (folder / ".jugrc").write_text(jugrc)
        (folder / "show_options.py").write_text(_SHOW_OPTIONS)
        run = _run(python, folder, "show_options.py", "execute", "jugfile.py")
        assert run.returncode == 0, (side, run.stderr)
        lines[side] = json.loads(run.stdout.splitlines()[-2])
    assert lines["ours"] == lines["jug27"]
    assert lines["ours"]["execute_nr_wait_cycles"] == "7" and lines["ours"]["jugdir"] == "'from-rc.jugfile'"


_READ_CONFIGURATION = """\
import json, os
from jug.options import default_options, find_local_configuration_files, read_configuration_file
import jug.subcommands.execute  # its defaults give the settings their types

found = [os.path.relpath(path) for path in find_local_configuration_files()]
with open(found[-1]) as f:
    read = read_configuration_file(f, default_options)
print(json.dumps([found, {name: repr(getattr(read, name)) for name in
                          ("jugdir", "execute_keep_going", "execute_wait_cycle_time", "execute_nr_wait_cycles",
                           "execute_name", "my_setting", "short")}]))
"""


def test_jugrc_files_are_found_and_read_as_jug_does(folders):
    results = {}
    for side, (python, folder) in folders.items():
        (folder / ".git").mkdir()
        (folder / "jugrc").write_text("[main]\nshort = off\n\n[execute]\nkeep_going = yes\n"
                                      "wait-cycle-time = 2.5\nname = double\n\n[my]\nsetting = 1\n")
        inner = folder / "inner"
        inner.mkdir()
        (inner / ".jugrc").write_text("[execute]\nnr-wait-cycles = 4\n")
        (inner / "read.py").write_text(_READ_CONFIGURATION)
        run = _run(python, inner, "read.py")
        assert run.returncode == 0, (side, run.stderr)
        results[side] = json.loads(run.stdout)
    assert results["ours"] == results["jug27"]
    assert results["ours"][0] == [".jugrc", "../jugrc"]


_EXECUTION_LOOP = """\
import sys
import jug, jug.task
from jug.jug import ExecutionState, execution_loop
from jug.options import parse

options = parse(sys.argv[1:])
store, space = jug.init(options.jugfile, options.jugdir)
tasks = list(jug.task.alltasks)
state = ExecutionState()
try:
    failed = execution_loop(tasks, options, state)
except ZeroDivisionError:
    print("raised", len(state.failed))
    sys.exit(3)
print("failed", failed, len(state.failed))
print("total", jug.value(space["total"]) if not failed else None)
"""

FAILING = JUGFILE + """
@TaskGenerator
def broken(x):
    return x / 0

bad = broken(total)
"""


def test_execution_loop_runs_a_jugfiles_tasks_in_the_script(folders):
    outputs = {}
    for side, (python, folder) in folders.items():
        (folder / "loop.py").write_text(_EXECUTION_LOOP)
        run = _run(python, folder, "loop.py", "execute", "jugfile.py")
        assert run.returncode == 0, (side, run.stderr)
        outputs[side] = run.stdout.split("\n")[-3:]
        assert _run(python, folder, "run_command.py", "check", "check", "check", "jugfile.py").returncode == 0
    assert outputs["ours"] == outputs["jug27"] == ["failed False 0", "total 6", ""]


def test_execution_loop_raises_a_failure_or_with_keep_going_returns_it(folders):
    for side, (python, folder) in folders.items():
        (folder / "jugfile.py").write_text(FAILING)
        (folder / "loop.py").write_text(_EXECUTION_LOOP)
        raised = _run(python, folder, "loop.py", "execute", "jugfile.py")
        assert (raised.returncode, raised.stdout.split("\n")[-2]) == (3, "raised 1"), (side, raised.stderr)
        kept_going = _run(python, folder, "loop.py", "execute", "jugfile.py", "--keep-going")
        assert kept_going.stdout.split("\n")[-3:-1] == ["failed True 1", "total None"], (side, kept_going.stderr)


def test_execute_object_exits_as_jugs_when_a_task_fails(folders):
    for _, folder in folders.values():
        (folder / "jugfile.py").write_text(FAILING)
    kept_going = _both(folders, "execute", "execute", "execute", "jugfile.py", "--keep-going")
    assert _codes(kept_going) == {"jug27": 1, "ours": 1}, kept_going["ours"].stderr
    assert all("division by zero" in run.stderr + run.stdout for run in kept_going.values())
    assert _codes(_both(folders, "check", "check", "check", "jugfile.py")) == {"jug27": 1, "ours": 1}


def test_shell_functions_load_and_invalidate(folders):
    python, folder = folders["ours"]
    assert _run(python, folder, "run_command.py", "execute", "execute", "execute", "jugfile.py").returncode == 0
    script = textwrap.dedent("""\
        import jug, jug.task
        from jug.subcommands.shell import invalidate, load_all
        store, space = jug.init("jugfile.py", "jugfile.jugdata")
        loaded = {}
        load_all(space, loaded)
        print(loaded["total"], loaded["xs"])
        invalidate(list(jug.task.alltasks), {}, space["xs"][0])
        print(sorted(t.name for t in jug.task.alltasks if not t.can_load()))
    """)
    (folder / "shell_tools.py").write_text(script)
    run = _run(python, folder, "shell_tools.py")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["6 [0, 2, 4, 6]", "['jugfile.add', 'jugfile.double']"]


def test_webstatus_and_test_jug_objects_map_jugs_options():
    from jug.subcommands.internal_validation import internal_validation
    from jug.subcommands.webstatus import webstatus
    from jug.options import parse
    from jugcore.cli.jug2_commands import command_line

    argv = list(sys.argv)
    try:
        options = parse(["webstatus", "jugfile.py", "--port", "9000"])
    finally:
        sys.argv[:] = argv
    assert command_line(webstatus, options) == ["webstatus", "--port=9000", "--", "jugfile.py"]
    assert command_line(internal_validation, options) == ["test-jug"]


def test_command_objects_stay_off_the_start_up_path():
    loaded = subprocess.run([sys.executable, "-c", "import sys\nfrom jugcore.cli import main\n"
                             "sys.argv = ['jug', '--version']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
                             "print(' '.join(sys.modules))"],
                            capture_output=True, text=True, env=jug_environ(), cwd=os.getcwd()).stdout.split()
    assert not [m for m in loaded if m.startswith(("jug.subcommands.", "jugcore.cli.jug2", "jugcore.builtin.jug2_"
                                                                                            "execution"))]


def test_debug_exception_opens_the_debugger_where_the_error_was_raised(tmp_path):
    script = textwrap.dedent("""\
        from jug.internal.debugger import debug_exception

        def failing():
            secret = 41
            raise ValueError(secret)

        try:
            failing()
        except ValueError:
            debug_exception()
        print("after the debugger")
    """)
    (tmp_path / "debugged.py").write_text(script)
    run = subprocess.run([sys.executable, "debugged.py"], cwd=tmp_path, input="p secret + 1\nc\n",
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "(Pdb) 42" in run.stdout and run.stdout.rstrip().endswith("after the debugger"), run.stdout
