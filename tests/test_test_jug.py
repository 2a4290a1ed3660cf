"""`jug test-jug`: the store contract and a small jugfile run on every installed
store, one line per check, exit 1 when one fails; Redis only when configured."""
import re
import subprocess
import sys

from pytest_jug import jug_environ, make_distribution

# A dict_store:PATH whose load() answers None for a missing key instead of raising KeyError.
BROKEN_STORE = '''
from jug_dictstore.store import DictStore
from jugcore.api import SelfCheckJugdir, StoreBackend, hookimpl


class ForgetfulStore(DictStore):
    def load(self, key):
        try:
            return super().load(key)
        except KeyError:
            return None


@hookimpl
def jug_store_backends():
    return [StoreBackend("forgetful", lambda url: ForgetfulStore(url.location), "breaks the contract",
                         shared_between_processes=False)]


@hookimpl
def jug_self_check_jugdirs():
    return [SelfCheckJugdir("forgetful:run.pkl")]
'''

# A store plugin that names no jugdir for `jug test-jug`.
SILENT_STORE = '''
from jug_dictstore.store import DictStore
from jugcore.api import StoreBackend, hookimpl


@hookimpl
def jug_store_backends():
    return [StoreBackend("silent", lambda url: DictStore(url.location), "names no jugdir to check")]
'''

ONLY_FILE_STORE = {"JUG_DISABLE_PLUGINS": "dictstore,keepalive,sqlite,redis"}
FILE_AND_REDIS = {"JUG_DISABLE_PLUGINS": "dictstore,keepalive,sqlite"}


def lines(run, status):
    return [line for line in run.stdout.splitlines() if line.startswith(status + " ")]


def test_every_installed_store_passes(jug, tmp_path):
    run = jug("test-jug", cwd=tmp_path)
    assert run.returncode == 0, run
    assert "store contract: pytest-jug's store contract suite" in run.stdout.splitlines()[0]
    passed = "\n".join(lines(run, "pass"))
    for scheme, jugdir in (("file", "run.jugdata"), ("dict_store", "dict_store:run.pkl"),
                           ("file_keepalive", "file_keepalive:run.jugdata?lease=60"),
                           ("sqlite", "sqlite:results/run.db")):
        assert re.search(rf"^pass  store contract on {scheme} \({re.escape(jugdir)}\): \d+ passed", passed, re.M), run
        assert f"pass  jugfile run on {scheme} ({jugdir}): 12 tasks across a barrier" in passed, run
    assert "2 workers" in passed  # where the store is shared between processes
    skipped = lines(run, "skip")
    assert "skip  jugfile run on dict_store (dict_store): skipped: its results live in one process only" \
           in run.stdout
    assert any(line.startswith("skip  checks on redis: skipped: no server to check on: set JUG_REDIS_TEST_URL")
               for line in skipped), run
    assert not lines(run, "FAIL")
    assert run.stdout.splitlines()[-1] == f"{len(lines(run, 'pass'))} passed, 0 failed, {len(skipped)} skipped"
    assert list(tmp_path.iterdir()) == []  # everything happened in a temporary folder, now gone


def test_redis_is_checked_on_the_configured_server_and_left_clean(jug, tmp_path, redis_server):
    url = redis_server.url(3)
    run = jug("test-jug", cwd=tmp_path, env={**FILE_AND_REDIS, "JUG_REDIS_TEST_URL": url})
    assert run.returncode == 0, run
    shown = url + "?prefix=jug-test-jug-{unique}:"
    assert re.search(rf"^pass  store contract on redis \({re.escape(shown)}\): \d+ passed", run.stdout, re.M), run
    assert f"pass  jugfile run on redis ({shown}): 12 tasks across a barrier by 2 workers" in run.stdout
    assert "skip  checks on unix: skipped: JUG_REDIS_TEST_URL names a redis: server" in run.stdout
    assert _keys_in_db(redis_server, 3) == 0


def _keys_in_db(redis_server, db):
    import socket

    with socket.create_connection(("127.0.0.1", redis_server.port), timeout=10) as s:
        s.sendall(f"*2\r\n$6\r\nSELECT\r\n$1\r\n{db}\r\n*1\r\n$6\r\nDBSIZE\r\n".encode())
        reply = b""
        while reply.count(b"\r\n") < 2:
            reply += s.recv(1024)
    return int(reply.split(b"\r\n")[1].lstrip(b":"))


def test_an_unreachable_configured_server_fails_its_checks(jug, tmp_path):
    run = jug("test-jug", cwd=tmp_path,
              env={**FILE_AND_REDIS, "JUG_REDIS_TEST_URL": "redis://:secret@127.0.0.1:1/0"})
    assert run.returncode == 1, run
    failed = lines(run, "FAIL")
    assert len(failed) == 2 and all(line.startswith("FAIL  ") and "on redis (redis://:***@127.0.0.1:1/0" in line
                                    and ": cannot reach the Redis server at redis://:***@127.0.0.1:1/0" in line
                                    for line in failed), run
    assert "secret" not in run.output
    assert "Traceback" not in run.output


def test_quick_check_on_request(jug, tmp_path):
    run = jug("test-jug", "--quick", cwd=tmp_path, env=ONLY_FILE_STORE)
    assert run.returncode == 0, run
    assert run.stdout.splitlines()[0].endswith("store contract: a short built-in check")
    assert re.search(r"^pass  store contract on file \(run.jugdata\): \d+ promises kept \(short check\)$",
                     run.stdout, re.M), run


def test_a_store_that_breaks_the_contract_fails(jug, tmp_path, site):
    root, env = site
    make_distribution(root, "jug-forgetful", "1.0", {"forgetful": "jug_forgetful"}, {"jug_forgetful": BROKEN_STORE})
    env = {**env, **ONLY_FILE_STORE}
    run = jug("test-jug", cwd=tmp_path, env=env)
    assert run.returncode == 1, run
    failed = lines(run, "FAIL")
    assert len(failed) == 1 and failed[0].startswith("FAIL  store contract on forgetful (forgetful:run.pkl): "), run
    assert re.search(r": \d+ passed, \d+ failed, \d+ skipped: test_\w+", failed[0]), run
    assert "(--verbose shows pytest's report)" in failed[0]
    assert "pass  store contract on file" in run.stdout  # the others are still checked
    assert re.search(r"^\d+ passed, 1 failed, \d+ skipped$", run.stdout, re.M)

    quick = jug("test-jug", "--quick", cwd=tmp_path, env=env)
    assert quick.returncode == 1, quick
    assert "FAIL  store contract on forgetful (forgetful:run.pkl): broken promise: load() of a missing " \
           "result raises KeyError" in quick.stdout

    verbose = jug("test-jug", "--verbose", cwd=tmp_path, env=env)
    assert "short test summary info" in verbose.stdout or "FAILED" in verbose.stdout, verbose


def test_a_store_whose_plugin_names_no_jugdir_is_skipped(jug, tmp_path, site):
    root, env = site
    make_distribution(root, "jug-silent", "1.0", {"silent": "jug_silent"}, {"jug_silent": SILENT_STORE})
    run = jug("test-jug", "--quick", cwd=tmp_path, env={**env, **ONLY_FILE_STORE})
    assert run.returncode == 0, run
    assert "skip  checks on silent: skipped: plugin 'silent' (jug-silent 1.0) names no jugdir to check " \
           "it on (hook jug_self_check_jugdirs)" in run.stdout, run


def test_without_pytest_jug_the_short_check_runs_and_says_so(tmp_path):
    """`jug` in an environment where pytest-jug cannot be imported (hidden from this process)."""
    hide = "import sys; sys.modules['pytest_jug'] = None; sys.argv[0] = 'jug'; from jugcore.cli import main; main()"
    run = subprocess.run([sys.executable, "-c", hide, "test-jug"], capture_output=True, text=True, cwd=tmp_path,
                         env=jug_environ(ONLY_FILE_STORE))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[0].endswith(
        "store contract: a short built-in check (pip install pytest-jug for the full store contract)")
    assert "promises kept (short check)" in run.stdout
