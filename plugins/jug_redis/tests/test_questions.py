"""Questions (status, check, sleep-until, a no-op execute) about a Redis jugdir,
answered right; and what they import, seen from inside the `jug` process:
redis-py (a tenth of a second) is imported when a Redis store opens, and
never by a command that opens none."""
import json
import subprocess
import sys

import pytest

from pytest_jug import bvalue_barrier_jugfile, gated_failure_jugfile, jug_environ, summary_table

# Runs `jug ARGS...` in this process, then prints the modules it loaded on a line of its own.
JUG_THEN_MODULES = """\
import sys
sys.argv = ["jug"] + sys.argv[1:]
from jugcore.cli import main
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
print("MODULES:", " ".join(sorted(sys.modules)))
sys.stdout.flush()
sys.exit(code)
"""

# A barrier and a bvalue: a no-op execute loads results, not only counts them.
DONE = bvalue_barrier_jugfile("6", "t = total(squares)\n")
FAILED = gated_failure_jugfile("b = boom()\nc = after(b)\n")


def jug_in_process(*args, cwd):
    """(returncode, output without the modules line, set of modules loaded) of `jug ARGS...`."""
    run = subprocess.run([sys.executable, "-c", JUG_THEN_MODULES, *map(str, args)], cwd=cwd, env=jug_environ(),
                         capture_output=True, text=True, timeout=120)
    output, _, modules = run.stdout.rpartition("MODULES: ")
    assert modules, run.stderr
    return run.returncode, output + run.stderr, set(modules.split())


def redis_py(modules):
    return sorted(m for m in modules if m == "redis" or m.startswith("redis."))


def assert_store_opened_with_redis_py(modules):
    assert "jug_redis.store" in modules and "jug_redis.client" in modules  # the store was opened...
    assert "redis" in modules  # ...with redis-py


@pytest.fixture
def complete_project(tmp_path, redis_server):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(DONE)
    url = redis_server.url(3, "prefix=done:")
    fill = jug_in_process("execute", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert fill[0] == 0, fill[1]
    assert_store_opened_with_redis_py(fill[2])
    return tmp_path, url


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["check"], ["sleep-until"],
                                     ["execute"]], ids=" ".join)
def test_questions_on_a_complete_project(complete_project, command):
    folder, url = complete_project
    code, output, modules = jug_in_process(*command, "jugfile.py", "--jugdir", url, cwd=folder)
    assert code == 0, output
    if command == ["status"]:
        assert summary_table(output)["Total"] == [0, 0, 0, 8, 0], output  # Complete: make_list, 6 squares, total
    if command == ["status", "--json"]:
        assert json.loads(output)["totals"]["Complete"] == 8, output
    if command == ["execute"]:
        assert summary_table(output)["Total"] == [0, 8], output  # nothing executed, everything loaded
    assert_store_opened_with_redis_py(modules)


@pytest.mark.parametrize("command", [["status"], ["status", "--failed"], ["status", "--active"],
                                     ["status", "--json"], ["check"], ["sleep-until"]], ids=" ".join)
def test_questions_about_a_failed_task(tmp_path, redis_server, command):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(FAILED)
    (tmp_path / "go").touch()
    url = redis_server.url(0)
    failing = jug_in_process("execute", "jugfile.py", "--jugdir", url, "--keep-failed", cwd=tmp_path)
    assert failing[0] == 1, failing[1]
    code, output, modules = jug_in_process(*command, "jugfile.py", "--jugdir", url, cwd=tmp_path)
    if command == ["status", "--failed"]:
        assert "deliberate" in output, output  # the failure record was read
    if command == ["sleep-until"]:
        assert code == 1 and "1 task(s) failed, e.g. jugfile.boom (RuntimeError: deliberate)" in output, output
    if command == ["check"]:
        assert code == 1, output
    assert_store_opened_with_redis_py(modules)


def test_commands_on_a_file_jugdir_never_import_redis_py(tmp_path):
    (tmp_path / "jugfile.py").write_text(DONE)
    for command in ("execute", "status", "check"):
        code, output, modules = jug_in_process(command, "jugfile.py", "--jugdir", tmp_path / "jugdir", cwd=tmp_path)
        assert code == 0, output
        assert "jug_redis.hooks" in modules  # the plugin was loaded...
        assert "jug_redis.store" not in modules and redis_py(modules) == []  # ...and no Redis store opened
