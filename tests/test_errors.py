"""What the user sees when something is wrong: one `jug: error:` line naming the
problem (plus, where the user's own code raised, that code's traceback), a
non-zero exit, and never a traceback through jug's own code."""
import re
import subprocess
import sys

import pytest

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def double(x):
    return 2 * x

@TaskGenerator
def add(a, b):
    return a + b

a = double(3)
b = add(a, 1)
"""

_FILE_LINE = re.compile(r'^\s*File "([^"]*)", line \d+', re.M)
_INTERNAL = ("jugcore", "jug_file", "jug_dictstore", "pluggy", "click", "/jug/")


def traceback_files(text):
    return _FILE_LINE.findall(text)


def error_lines(run):
    return [line for line in run.stderr.splitlines() if line.startswith("jug: error:")]


def assert_clean_error(run, *needles, user_traceback=False):
    """Exit != 0; exactly one `jug: error:` line; every needle in stderr; no frame of
    jug's own code; a traceback only when the user's code raised."""
    assert run.returncode != 0, run
    errors = error_lines(run)
    assert len(errors) == 1, run
    for needle in needles:
        assert needle in run.stderr, (needle, run)
    files = traceback_files(run.output)
    assert not [f for f in files if "jugcore" in f], run
    assert not [f for f in files if any(part in f for part in _INTERNAL)], run
    if user_traceback:
        assert run.stderr.count("Traceback (most recent call last):") == 1, run
        assert files, run
    else:
        assert "Traceback" not in run.output, run
        assert not files, run
    return errors[0]


# --- the jugfile ------------------------------------------------------------------
@pytest.mark.parametrize("command", ["execute", "status", "check"])
def test_missing_jugfile_names_the_path(jug, tmp_path, command):
    run = jug(command, "nothere.py", cwd=tmp_path)
    line = assert_clean_error(run)
    assert "nothere.py" in line
    assert str(tmp_path / "nothere.py") in line


def test_a_directory_as_jugfile_is_refused_with_a_hint(jug, tmp_path):
    (tmp_path / "project").mkdir()
    run = jug("status", "project", cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "'project' is a directory; name the jugfile in it (for example project/jugfile.py)" in run.stderr


def test_missing_default_jugfile_names_it(jug, tmp_path):
    run = jug("status", cwd=tmp_path)
    line = assert_clean_error(run)
    assert "jugfile.py" in line


def test_syntax_error_names_file_line_and_text(jug, jugfile, tmp_path):
    jugfile("from jug import TaskGenerator\nx = 1\ny = = 2\nz = 3\n", name="broken.py")
    run = jug("execute", "broken.py", cwd=tmp_path)
    line = assert_clean_error(run, "y = = 2")
    assert "broken.py" in line
    assert "line 3" in line
    assert "syntax" in line.lower()


def test_jugfile_import_error_shows_only_the_jugfile_frame(jug, jugfile, tmp_path):
    jugfile("from jug import TaskGenerator\nimport nosuchmodule_for_jug_tests\n", name="imports.py")
    run = jug("execute", "imports.py", cwd=tmp_path)
    line = assert_clean_error(run, "No module named 'nosuchmodule_for_jug_tests'", user_traceback=True)
    assert "imports.py" in line
    assert "ModuleNotFoundError" in line or "ImportError" in line
    files = traceback_files(run.stderr)
    assert [f.endswith("imports.py") for f in files] == [True], run
    assert "import nosuchmodule_for_jug_tests" in run.stderr
    assert "line 2" in run.stderr


def test_jugfile_import_error_in_a_user_helper_module(jug, jugfile, tmp_path):
    (tmp_path / "helper.py").write_text("import nosuchmodule_for_jug_tests\nthing = 1\n")
    jugfile("from helper import thing\n")
    run = jug("status", "jugfile.py", cwd=tmp_path)
    assert_clean_error(run, "nosuchmodule_for_jug_tests", user_traceback=True)
    files = traceback_files(run.stderr)
    assert files[0].endswith("jugfile.py") and files[-1].endswith("helper.py"), run


def test_jugfile_name_error_shows_the_jugfile_frames(jug, jugfile, tmp_path):
    jugfile(
        """\
        from jug import TaskGenerator

        def setup():
            return undefined_name_for_jug_tests

        params = setup()
        """
    )
    run = jug("execute", "jugfile.py", cwd=tmp_path)
    line = assert_clean_error(run, "NameError", "undefined_name_for_jug_tests", user_traceback=True)
    assert "jugfile.py" in line
    files = traceback_files(run.stderr)
    assert len(files) == 2 and all(f.endswith("jugfile.py") for f in files), run
    assert "params = setup()" in run.stderr


def test_error_raised_inside_jug_from_the_jugfile_ends_at_the_jugfile_line(jug, jugfile, tmp_path):
    jugfile("from jug import Task\nt = Task(lambda x: x, 1)\n")
    run = jug("execute", "jugfile.py", cwd=tmp_path)
    assert_clean_error(run, "lambda", user_traceback=True)
    assert [f.endswith("jugfile.py") for f in traceback_files(run.stderr)] == [True], run


# --- the jugdir -------------------------------------------------------------------
@pytest.mark.parametrize("command", ["execute", "status"])
def test_unknown_scheme_lists_installed_schemes(jug, jugfile, tmp_path, command):
    jugfile(JUGFILE)
    run = jug(command, "jugfile.py", "--jugdir", "foo:bar", cwd=tmp_path)
    line = assert_clean_error(run, "foo")
    assert "'foo:'" in line or "foo:" in line
    assert "file" in line and "dict_store" in line
    assert not (tmp_path / "foo:bar").exists()


@pytest.mark.parametrize("jugdir", ["redis://localhost", "redis://localhost:6379/0", "unix:///tmp/redis.sock"])
def test_redis_scheme_without_jug_redis_says_how_to_install(jug, jugfile, tmp_path, jugdir,
                                                            jug_without_optional_plugins):
    jugfile(JUGFILE)
    run = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path, jug=jug_without_optional_plugins)
    line = assert_clean_error(run)
    assert "pip install jug-redis" in line
    assert "file" in line and "dict_store" in line


@pytest.mark.parametrize("jugdir", [
    "redis://user:s3cret@host/0",
    "redis://:s3cret@host:6379/0",
    "rediss://user:s3cret@host/0",
    "myscheme://user:s3cret@host/0",  # a scheme nobody provides: no install hint
    # Raw characters that end a password for a naive pattern (each leaked before).
    "redis://:xy@s3cret99@host",
    "redis://:xy/s3cret99@host",
    "redis://:xy#s3cret99@host",
    "redis://:xy?s3cret99@host/0",
    "redis://:xy%40s3cret99@host/0",
])
@pytest.mark.parametrize("command", ["execute", "status"])
def test_password_in_url_is_never_shown(jug, jugfile, tmp_path, jugdir, command):
    jugfile(JUGFILE)
    run = jug(command, "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert_clean_error(run)
    assert "s3cret" not in run.output, run
    assert "***" in run.output, run


# --- a corrupt result file ----------------------------------------------------------
CORRUPT_CONTENTS = pytest.mark.parametrize("content", [
    b"this is not a jug result\x00\xff",
    b"",  # a write or copy cut short: not None
], ids=["garbage", "empty"])


def _run_then_corrupt(jug, jugfile, tmp_path, content):
    """Run the jugfile, then overwrite `double(3)`'s result with ``content`` and remove
    `add`'s, so that the next run must read the corrupt file.  Returns (key, path)."""
    jugfile(JUGFILE)
    run = jug("execute", "jugfile.py", cwd=tmp_path)
    assert run.returncode == 0, run
    keys = subprocess.run(
        [sys.executable, "-c",
         "import jug; s, ns = jug.init('jugfile.py', 'jugfile.jugdata'); "
         "print(ns['a'].hash().decode(), ns['b'].hash().decode())"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.split()
    key_a, key_b = keys
    jugdata = tmp_path / "jugfile.jugdata"
    path_a = jugdata / key_a[:2] / key_a[2:]
    path_b = jugdata / key_b[:2] / key_b[2:]
    assert path_a.exists() and path_b.exists()
    path_a.write_bytes(content)
    path_b.unlink()
    return key_a, path_a


_FIX = re.compile(r"invalidate|cleanup|\brm\b|delete|remove", re.I)


def assert_suggested_commands_exist(jug, text, cwd):
    """Every `jug COMMAND` a message tells the user to run is a real command."""
    for command in set(re.findall(r"(?:`|: |\brun |\bwith )jug ([a-z][a-z-]*)", text)):
        run = jug(command, "--help", cwd=cwd)
        assert run.returncode == 0, f"the message suggests `jug {command}`, which does not exist:\n{text}"


@CORRUPT_CONTENTS
def test_corrupt_result_in_execute_names_task_file_and_fix(jug, jugfile, tmp_path, content):
    key, path = _run_then_corrupt(jug, jugfile, tmp_path, content)
    run = jug("execute", "jugfile.py", cwd=tmp_path)
    assert run.returncode != 0, run
    tail = f"{key[:2]}/{key[2:]}"
    lines = [line for line in run.stderr.splitlines() if line.startswith("jug:") and tail in line]
    assert lines, run  # one `jug:` line names the file
    line = lines[0]
    assert key in line or "jugfile.double" in line, run  # which task's result is corrupt
    assert _FIX.search(line), run  # and how to clear it
    assert_suggested_commands_exist(jug, line, tmp_path)
    files = traceback_files(run.output)
    assert not [f for f in files if any(part in f for part in _INTERNAL)], run
    assert "Traceback" not in run.output, run  # no user code raised


@CORRUPT_CONTENTS
def test_corrupt_result_in_script_value_names_task_file_and_fix(jug, jugfile, tmp_path, content):
    key, path = _run_then_corrupt(jug, jugfile, tmp_path, content)
    script = tmp_path / "script.py"
    script.write_text(
        "import jug\n"
        "from jug import value\n"
        "store, ns = jug.init('jugfile.py', 'jugfile.jugdata')\n"
        "print(value(ns['a']))\n"
    )
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode != 0
    message = proc.stderr.strip().splitlines()[-1]  # the exception line
    assert f"{key[:2]}/{key[2:]}" in message, proc.stderr
    assert key in message or "jugfile.double" in message, proc.stderr
    assert _FIX.search(message), proc.stderr
    assert_suggested_commands_exist(jug, message, tmp_path)


# --- the command line ---------------------------------------------------------------
@pytest.mark.parametrize("args, option", [
    (["--nr-wait-cycles", "soon"], "--nr-wait-cycles"),
    (["--wait-cycle-time", "later"], "--wait-cycle-time"),
    (["-j", "0"], "--jobs"),
])
def test_bad_option_value_is_a_usage_error(jug, jugfile, tmp_path, args, option):
    jugfile(JUGFILE)
    run = jug("execute", "jugfile.py", *args, cwd=tmp_path)
    assert run.returncode == 2, run
    assert "Usage: jug execute" in run.stderr
    assert "Invalid value" in run.stderr and option in run.stderr
    assert "Traceback" not in run.output
    assert not (tmp_path / "jugfile.jugdata").exists()


def test_unknown_command_is_a_usage_error(jug, tmp_path):
    run = jug("nosuchcommand", cwd=tmp_path)
    assert run.returncode == 2, run
    assert "No such command 'nosuchcommand'" in run.stderr
    assert "Traceback" not in run.output


def test_bad_environment_limit_is_one_error_line(jug, jugfile, tmp_path):
    jugfile(JUGFILE)
    run = jug("execute", "jugfile.py", cwd=tmp_path, env={"JUG_MAX_TASKS": "abc"})
    line = assert_clean_error(run)
    assert "JUG_MAX_TASKS" in line and "abc" in line
