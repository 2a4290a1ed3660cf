"""Plugin discovery and the hooks, in three layers:

(a) plugin objects registered directly with ``make_plugin_manager(plugins=...)``;
(b) fake installed distributions (a ``*.dist-info`` on PYTHONPATH) seen by a real
    ``jug`` process;
(c) the distributions really installed here: jugcore, jug-file, jug-dictstore.
"""
import inspect
import json
import os
import pickle
import types
from importlib.metadata import version as installed_version

import click
import pytest
from click.testing import CliRunner


from jugcore.formats import hashing

from jugcore.model import task
from jugcore.cli import make_cli
from jugcore.errors import JugError
from jugcore.run.scheduler import ExecuteOptions, Worker
from jugcore.app import current_app, make_app, use_app
from jugcore.plugins import hookimpl, make_plugin_manager
from jugcore.stores.contract import FAILED, LOCKED, Lock, Store, StoreBackend, open_store
from pytest_jug import make_distribution, sample_jugfile

JUGFILE = sample_jugfile(items="doubled")


# =====================================================================================
# (a) inline plugin objects
# =====================================================================================
class MemLock(Lock):
    def __init__(self, locks, key):
        self.locks, self.key = locks, key

    def get(self):
        if self.key in self.locks:
            return False
        self.locks[self.key] = LOCKED
        return True

    def release(self):
        self.locks.pop(self.key, None)

    def is_locked(self):
        return self.key in self.locks

    def fail(self, record=None):
        if self.key not in self.locks:
            return False
        self.locks[self.key] = FAILED
        return True

    def is_failed(self):
        return self.locks.get(self.key) == FAILED


class DictStore(Store):
    """Results and locks in dicts: just enough for the contract.  (MemLock and this
    class are also the base of the fake store plugin, FAKE_STORE_PLUGIN.)"""

    def __init__(self):
        self.data = {}
        self.locks = {}

    def dump(self, key, value):
        self.data[key] = pickle.dumps(value)

    def load(self, key):
        return pickle.loads(self.data[key])

    def can_load(self, key):
        return key in self.data

    def remove(self, key):
        return self.data.pop(key, None) is not None

    def list(self):
        return list(self.data)

    def listlocks(self):
        return list(self.locks)

    def getlock(self, key):
        return MemLock(self.locks, key)


class MemStore(DictStore):
    """A store in a dict, at a location that means nothing."""

    def __init__(self, location=""):
        super().__init__()
        self.location = location


class MyStorePlugin:
    def __init__(self, scheme="mystore"):
        self.scheme = scheme

    @hookimpl
    def jug_store_backends(self):
        return [StoreBackend(self.scheme, lambda url: MemStore(url.location), "an in-test store", f"{self.scheme}:x")]


def _command_plugin_module(module_name, command_name, text):
    """A plugin that is a module, as entry points usually are."""
    module = types.ModuleType(module_name)

    @click.command(command_name)
    def command():
        click.echo(text)

    @hookimpl
    def jug_register_commands(cli):
        cli.add_command(command)

    module.jug_register_commands = jug_register_commands
    return module


@pytest.fixture
def clean_tasks():
    """Tasks made in a test do not leak into the next one."""
    saved_store = task.Task.store
    del task.alltasks[:]
    yield
    del task.alltasks[:]
    task.Task.store = saved_store


@pytest.fixture
def restore_plugin_manager():
    previous = current_app()
    yield
    use_app(previous)


def _use_plugins(*plugins):
    """An app of these plugins alone, made this process's (task keys use its hooks)."""
    return use_app(make_app(load_entrypoints=False, plugins=plugins))


def test_inline_store_plugin_is_opened_by_its_scheme():
    pm = make_plugin_manager(load_entrypoints=False, plugins=[("my-store", MyStorePlugin())])
    store = open_store(pm, "mystore:x")
    assert isinstance(store, MemStore)
    assert store.location == "x"
    assert open_store(pm, "mystore:").location == ""
    assert open_store(pm, "mystore://x/y").location == "x/y"


def test_inline_store_plugin_alone_knows_no_file_scheme():
    pm = make_plugin_manager(load_entrypoints=False, plugins=[("my-store", MyStorePlugin())])
    with pytest.raises(JugError) as info:
        open_store(pm, "other:place")
    message = info.value.format_message()
    assert "other:" in message and "mystore" in message
    with pytest.raises(JugError):
        open_store(pm, "some/plain/path")  # the file scheme is a plugin too, absent here


def test_two_plugins_declaring_one_scheme_are_refused_naming_both():
    pm = make_plugin_manager(load_entrypoints=False, plugins=[
        ("first-store", MyStorePlugin("same")), ("second-store", MyStorePlugin("same")),
    ])
    with pytest.raises(JugError) as info:
        open_store(pm, "same:x")
    message = info.value.format_message()
    assert "'same'" in message
    assert "first-store" in message and "second-store" in message


def test_inline_command_plugin_module_adds_a_command():
    module = _command_plugin_module("my_commands", "hi", "hi from a plugin module")
    pm = make_plugin_manager(load_entrypoints=False, plugins=[module])
    cli = make_cli(pm)
    assert cli.command_owners == {"hi": "my_commands"}
    result = CliRunner().invoke(cli, ["hi"])
    assert result.exit_code == 0, result.output
    assert "hi from a plugin module" in result.output


def test_two_plugins_adding_one_command_are_refused_naming_both():
    pm = make_plugin_manager(load_entrypoints=False, plugins=[
        ("first-commands", _command_plugin_module("first_mod", "dup", "one")),
        ("second-commands", _command_plugin_module("second_mod", "dup", "two")),
    ])
    with pytest.raises(JugError) as info:
        make_cli(pm)
    message = info.value.format_message()
    assert "jug dup" in message
    assert "first-commands" in message and "second-commands" in message


class Point:
    """A custom type whose identity is (x, y); ``cache`` is incidental."""

    def __init__(self, x, y, cache=None):
        self.x, self.y, self.cache = x, y, cache


class Other:
    def __init__(self, v):
        self.v = v


class PointHasher:
    calls = 0

    @hookimpl
    def jug_hash_object(self, obj):
        if type(obj) is Point:
            PointHasher.calls += 1
            return [b"Point", pickle.dumps((obj.x, obj.y), protocol=4)]
        return None


def _key(*args):
    return hashing.task_key("tests.f", args, {})


def test_jug_hash_object_from_an_inline_plugin_changes_a_custom_types_key(restore_plugin_manager):
    _use_plugins()
    pickled_a, pickled_b = _key(Point(1, 2, cache="a")), _key(Point(1, 2, cache="b"))
    assert pickled_a != pickled_b  # without the plugin the whole object is pickled
    plain = _key(1, "x", [2.5])
    other = _key(Other(3))

    _use_plugins(("point-hasher", PointHasher()))
    with_a, with_b = _key(Point(1, 2, cache="a")), _key(Point(1, 2, cache="b"))
    assert PointHasher.calls >= 2
    assert with_a == with_b  # the plugin decides what identifies a Point
    assert with_a != pickled_a
    assert _key(Point(1, 3)) != with_a
    assert _key(1, "x", [2.5]) == plain  # other types are untouched
    assert _key(Other(3)) == other  # a declined type is pickled as before


def test_restoring_the_manager_restores_the_key(restore_plugin_manager):
    before = _key(Point(5, 6, cache="z"))
    previous = current_app()
    _use_plugins(("point-hasher", PointHasher()))
    assert _key(Point(5, 6, cache="z")) != before
    use_app(previous)
    assert _key(Point(5, 6, cache="z")) == before


def square(x):
    return x * x


def explode(x):
    raise ValueError(f"cannot handle {x}")


class StopAfterTwo:
    @hookimpl
    def jug_should_stop(self, state):
        return "two tasks are enough" if state.executed >= 2 else None


class Recorder:
    def __init__(self):
        self.events = []

    @hookimpl
    def jug_task_started(self, task):
        self.events.append(("started", task.name))

    @hookimpl
    def jug_task_finished(self, task, seconds):
        assert seconds >= 0
        self.events.append(("finished", task.name))

    @hookimpl
    def jug_task_failed(self, task, error):
        self.events.append(("failed", task.name, type(error).__name__))

    @hookimpl
    def jug_tasks_skipped(self, tasks):
        self.events.append(("skipped", sorted(t.name for t in tasks)))


def test_jug_should_stop_from_an_inline_plugin_stops_a_worker(clean_tasks, tmp_path):
    pm = make_plugin_manager(load_entrypoints=False, plugins=[("stop-after-two", StopAfterTwo())])
    store = MemStore()
    tasks = [task.Task(square, i) for i in range(5)]
    worker = Worker(store, pm, ExecuteOptions(), str(tmp_path))
    assert worker.run_pass(tasks) is False
    assert worker.summary.stopped == "two tasks are enough"
    assert sum(worker.summary.executed.values()) == 2
    assert len(store.data) == 2
    assert store.locks == {}  # a stopped worker leaves no lock behind

    # the next worker, without the policy, finishes the rest
    again = Worker(store, make_plugin_manager(load_entrypoints=False), ExecuteOptions(), str(tmp_path))
    assert again.run_pass(tasks) is True
    assert again.summary.stopped is None
    assert sum(again.summary.executed.values()) == 3
    assert sum(again.summary.loaded.values()) == 2
    assert sorted(pickle.loads(v) for v in store.data.values()) == [0, 1, 4, 9, 16]


def test_task_event_hooks_from_an_inline_plugin(clean_tasks, tmp_path):
    recorder = Recorder()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[("recorder", recorder)])
    pm.check_pending()  # every method of the recorder is a known hook
    store = MemStore()
    ok = task.Task(square, 3)
    bad = task.Task(explode, 4)
    worker = Worker(store, pm, ExecuteOptions(keep_going=True), str(tmp_path))
    worker.run_pass([ok, bad])
    name = f"{__name__}.square"
    bad_name = f"{__name__}.explode"
    assert ("started", name) in recorder.events
    assert ("finished", name) in recorder.events
    assert ("started", bad_name) in recorder.events
    assert ("failed", bad_name, "ValueError") in recorder.events
    assert recorder.events.index(("started", name)) < recorder.events.index(("finished", name))

    recorder.events.clear()
    Worker(store, pm, ExecuteOptions(keep_going=True), str(tmp_path)).run_pass([ok])
    assert recorder.events == [("skipped", [name])]


# =====================================================================================
# (b) fake installed distributions, seen by a real `jug`
# =====================================================================================
HELLO_PLUGIN = '''
import click
from jugcore.plugins import hookimpl


@click.command("hello")
@click.option("--name", default="world")
def hello(name):
    """Say hello (from a fake plugin)."""
    click.echo(f"hello, {name}")


@hookimpl
def jug_register_commands(cli):
    cli.add_command(hello)
'''

BROKEN_PLUGIN = '''
raise RuntimeError("fake_broken cannot start")
'''

FAKE_STORE_PLUGIN = '''
"""Scheme fake:PATH -- results in a pickled dict at PATH, written on close."""
import os
import pickle

from jugcore.plugins import hookimpl
from jugcore.stores.contract import FAILED, LOCKED, Lock, Store, StoreBackend


''' + inspect.getsource(MemLock) + '''

''' + inspect.getsource(DictStore) + '''

class FakeStore(DictStore):
    def __init__(self, path):
        super().__init__()
        self.path = path
        if os.path.exists(path):
            with open(path, "rb") as f:
                self.data = pickle.load(f)

    def close(self):
        with open(self.path, "wb") as f:
            pickle.dump(self.data, f)


@hookimpl
def jug_store_backends():
    return [StoreBackend("fake", lambda url: FakeStore(url.location), "a fake store", "fake:results.pkl")]
'''

RECORDER_PLUGIN = '''
import json
import os

from jugcore.plugins import hookimpl


def _record(*event):
    with open(os.environ["FAKE_RECORD"], "a") as f:
        f.write(json.dumps(event) + "\\n")


@hookimpl
def jug_execute_started(jugfile, store, total):
    _record("execute_started", os.path.basename(jugfile), total, store is not None)


@hookimpl
def jug_task_started(task):
    _record("task_started", task.name)


@hookimpl
def jug_task_finished(task, seconds):
    _record("task_finished", task.name)


@hookimpl
def jug_tasks_skipped(tasks):
    for task in tasks:
        _record("task_skipped", task.name)


@hookimpl
def jug_task_failed(task, error):
    _record("task_failed", task.name, type(error).__name__)


@hookimpl
def jug_execute_finished(summary):
    _record("execute_finished", sum(summary.executed.values()), sum(summary.loaded.values()),
            len(summary.failures))
'''


@pytest.fixture
def work(tmp_path, jugfile):
    jugfile(JUGFILE)
    return tmp_path


def _plugin_line(stdout, name):
    lines = [line for line in stdout.splitlines() if line.split()[:1] == [name]]
    assert len(lines) == 1, stdout
    return lines[0]


def test_fake_distribution_is_listed_with_distribution_and_version(jug, site, work):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    run = jug("plugins", cwd=work, env=env)
    assert run.returncode == 0, run
    line = _plugin_line(run.stdout, "fake-hello")
    assert "fakeplugin 1.0" in line
    assert "hello" in line
    rows = {row["name"]: row for row in json.loads(jug("plugins", "--json", cwd=work, env=env).stdout)["plugins"]}
    assert rows["fake-hello"]["distribution"] == "fakeplugin"
    assert rows["fake-hello"]["version"] == "1.0"
    assert rows["fake-hello"]["module"] == "fake_hello"
    assert rows["fake-hello"]["commands"] == ["hello"]
    assert rows["fake-hello"]["hooks"] == ["jug_register_commands"]


def test_fake_command_plugin_is_callable(jug, site, work):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    run = jug("hello", "--name", "jug", cwd=work, env=env)
    assert run.returncode == 0, run
    assert run.stdout == "hello, jug\n"
    assert "hello" in jug("--help", cwd=work, env=env).stdout


@pytest.mark.parametrize("command", ["status", "execute", "plugins"])
def test_plugin_failing_at_import_is_a_warning_and_the_rest_works(jug, site, work, command):
    root, env = site
    make_distribution(root, "fakebroken", "2.3", {"fake-broken": "fake_broken"}, {"fake_broken": BROKEN_PLUGIN})
    args = [command] if command == "plugins" else [command, "jugfile.py"]
    run = jug(*args, cwd=work, env=env)
    if command == "status":  # nothing has run yet: status says so with exit 1
        assert run.returncode == 1, run
        run = jug("execute", "jugfile.py", cwd=work, env=env)
        assert run.returncode == 0, run
        run = jug("status", "jugfile.py", cwd=work, env=env)
    assert run.returncode == 0, run
    warnings = [line for line in run.stderr.splitlines() if line.startswith("jug: warning:")]
    assert len(warnings) == 1, run
    assert "fake-broken" in warnings[0] and "fakebroken" in warnings[0] and "2.3" in warnings[0]
    assert "fake_broken cannot start" in warnings[0]
    assert "Traceback" not in run.output
    if command == "plugins":
        assert "FAILED TO LOAD" in _plugin_line(run.stdout, "fake-broken")


def test_plugin_failing_at_import_is_listed_in_json(jug, site, work):
    root, env = site
    make_distribution(root, "fakebroken", "2.3", {"fake-broken": "fake_broken"}, {"fake_broken": BROKEN_PLUGIN})
    run = jug("plugins", "--json", cwd=work, env=env)
    assert run.returncode == 0, run
    data = json.loads(run.stdout)
    assert data["failed"] == [{"name": "fake-broken", "distribution": "fakebroken",
                               "error": "RuntimeError: fake_broken cannot start"}]
    assert "fake-broken" not in {row["name"] for row in data["plugins"]}


def test_fake_store_plugin_serves_its_scheme(jug, site, work):
    root, env = site
    make_distribution(root, "fakestore", "0.5", {"fake-store": "fake_store"}, {"fake_store": FAKE_STORE_PLUGIN})
    run = jug("execute", "jugfile.py", "--jugdir", "fake:results.pkl", cwd=work, env=env)
    assert run.returncode == 0, run
    assert "Traceback" not in run.output
    with open(work / "results.pkl", "rb") as f:
        results = {k: pickle.loads(v) for k, v in pickle.load(f).items()}
    assert sorted(results.values()) == [0, 2, 4, 6]
    assert not (work / "jugfile.jugdata").exists()
    status = jug("status", "jugfile.py", "--jugdir", "fake:results.pkl", cwd=work, env=env)
    assert status.returncode == 0, status
    listing = jug("plugins", cwd=work, env=env)
    assert "fake:" in _plugin_line(listing.stdout, "fake-store")
    assert "fakestore 0.5" in _plugin_line(listing.stdout, "fake-store")


def test_disable_plugins_blocks_a_fake_plugin(jug, site, work):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    blocked = dict(env, JUG_DISABLE_PLUGINS="fake-hello")
    run = jug("hello", cwd=work, env=blocked)
    assert run.returncode == 2, run
    assert "No such command 'hello'" in run.stderr
    listing = jug("plugins", "--all", cwd=work, env=blocked)
    assert "fake-hello" not in listing.stdout
    assert "execute" in listing.stdout  # only that plugin is blocked


def test_disable_plugins_takes_a_list_and_silences_a_broken_plugin(jug, site, work):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    make_distribution(root, "fakebroken", "2.3", {"fake-broken": "fake_broken"}, {"fake_broken": BROKEN_PLUGIN})
    run = jug("plugins", cwd=work, env=dict(env, JUG_DISABLE_PLUGINS="fake-broken, fake-hello"))
    assert run.returncode == 0, run
    assert "warning" not in run.stderr
    assert "fake-hello" not in run.stdout and "fake-broken" not in run.stdout


def test_disable_plugin_autoload_loads_only_the_built_ins(jug, site, work):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    make_distribution(root, "fakebroken", "2.3", {"fake-broken": "fake_broken"}, {"fake_broken": BROKEN_PLUGIN})
    off = dict(env, JUG_DISABLE_PLUGIN_AUTOLOAD="1")
    run = jug("hello", cwd=work, env=off)
    assert run.returncode == 2 and "No such command 'hello'" in run.stderr, run
    assert "warning" not in run.stderr  # the broken plugin is not even imported
    listing = jug("plugins", "--all", "--json", cwd=work, env=off)
    data = json.loads(listing.stdout)
    names = {row["name"] for row in data["plugins"]}
    assert {"execute", "status", "file", "dictstore"} <= names and "fake-hello" not in names
    assert all(row["builtin"] for row in data["plugins"]) and data["failed"] == []
    run = jug("execute", "jugfile.py", cwd=work, env=off)
    assert run.returncode == 0 and run.stderr == "", run
    assert jug("hello", cwd=work, env=dict(env, JUG_DISABLE_PLUGIN_AUTOLOAD="0")).stdout == "hello, world\n"


def test_plugins_lists_built_ins_only_with_all(jug, site, work):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    shown = jug("plugins", cwd=work, env=env).stdout
    everything = jug("plugins", "--all", cwd=work, env=env).stdout
    assert "fakeplugin 1.0" in _plugin_line(shown, "fake-hello")
    assert "hooks jug_register_commands" in _plugin_line(shown, "fake-hello")
    for builtin in ("execute", "file", "dictstore", "numpy-hash"):
        assert builtin not in [line.split()[0] for line in shown.splitlines()], shown
        _plugin_line(everything, builtin)
    rows = {row["name"]: row for row in json.loads(jug("plugins", "--json", cwd=work, env=env).stdout)["plugins"]}
    assert rows["fake-hello"]["builtin"] is False and "execute" not in rows


def test_plugins_without_third_party_plugins_says_so(jug, work):
    run = jug("plugins", cwd=work, env={"JUG_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert run.returncode == 0, run
    assert run.stdout == "No plugins installed besides the built-in ones (jug plugins --all lists those too).\n"


SECOND_HELLO_PLUGIN = HELLO_PLUGIN.replace("hello, {name}", "hi, {name}")


def _two_hello_distributions(root, first_name, second_name):
    """hello-one 1.0 and hello-two 2.0, each adding `jug hello`, under these entry-point names."""
    make_distribution(root, "hello-one", "1.0", {first_name: "hello_a"}, {"hello_a": HELLO_PLUGIN})
    make_distribution(root, "hello-two", "2.0", {second_name: "hello_b"}, {"hello_b": SECOND_HELLO_PLUGIN})


def test_two_distributions_adding_one_command_are_refused_naming_both(jug, site, work):
    root, env = site
    _two_hello_distributions(root, "hello-a", "hello-b")
    run = jug("hello", cwd=work, env=env)
    assert run.returncode == 1, run
    assert run.stderr.startswith("jug: error: two plugins define the command 'jug hello'"), run
    assert "hello-one 1.0" in run.stderr and "hello-two 2.0" in run.stderr
    assert "Traceback" not in run.output
    blocked = jug("hello", cwd=work, env=dict(env, JUG_DISABLE_PLUGINS="hello-b"))
    assert blocked.stdout == "hello, world\n", blocked  # the fix the message suggests


def test_two_distributions_declaring_one_scheme_are_refused_naming_both(jug, site, work):
    root, env = site
    make_distribution(root, "fakestore", "0.5", {"fake-store": "fake_store"}, {"fake_store": FAKE_STORE_PLUGIN})
    make_distribution(root, "otherstore", "3.1", {"other-store": "other_store"}, {"other_store": FAKE_STORE_PLUGIN})
    run = jug("execute", "jugfile.py", "--jugdir", "fake:results.pkl", cwd=work, env=env)
    assert run.returncode == 1, run
    assert "two plugins declare the jugdir scheme 'fake'" in run.stderr, run
    assert "fakestore 0.5" in run.stderr and "otherstore 3.1" in run.stderr
    assert "Traceback" not in run.output
    assert not (work / "results.pkl").exists()


def test_two_distributions_using_one_plugin_name_are_warned_about(jug, site, work):
    root, env = site
    _two_hello_distributions(root, "greeter", "greeter")
    run = jug("hello", cwd=work, env=env)
    assert run.returncode == 0, run
    assert run.stdout in ("hello, world\n", "hi, world\n")  # the first found on sys.path
    warning, = [line for line in run.stderr.splitlines() if line.startswith("jug: warning:")]
    assert "hello-one 1.0" in warning and "hello-two 2.0" in warning and "'greeter'" in warning


def test_a_distribution_found_twice_on_sys_path_is_no_conflict(jug, site, work, tmp_path):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    copy = make_distribution(tmp_path / "copy", "fakeplugin", "1.0", {"fake-hello": "fake_hello"},
                             {"fake_hello": HELLO_PLUGIN})
    run = jug("hello", cwd=work, env=dict(env, PYTHONPATH=f"{env['PYTHONPATH']}{os.pathsep}{copy}"))
    assert run.returncode == 0 and run.stderr == "", run


def test_disabling_a_store_plugin_makes_its_scheme_unknown(jug, site, work):
    root, env = site
    make_distribution(root, "fakestore", "0.5", {"fake-store": "fake_store"}, {"fake_store": FAKE_STORE_PLUGIN})
    run = jug("execute", "jugfile.py", "--jugdir", "fake:results.pkl", cwd=work,
              env=dict(env, JUG_DISABLE_PLUGINS="fake-store"))
    assert run.returncode == 1, run
    assert "unknown jugdir scheme 'fake:'" in run.stderr
    assert not (work / "results.pkl").exists()


def test_execute_hooks_in_a_real_run(jug, site, work):
    root, env = site
    make_distribution(root, "fakerecorder", "1.0", {"fake-recorder": "fake_recorder"},
                      {"fake_recorder": RECORDER_PLUGIN})
    record = work / "events.jsonl"
    env = dict(env, FAKE_RECORD=str(record))
    run = jug("execute", "jugfile.py", cwd=work, env=env)
    assert run.returncode == 0, run
    events = [json.loads(line) for line in record.read_text().splitlines()]
    assert events[0] == ["execute_started", "jugfile.py", 4, True]
    assert events[-1] == ["execute_finished", 4, 0, 0]
    assert sum(1 for e in events if e[0] == "task_started") == 4
    assert sum(1 for e in events if e[0] == "task_finished") == 4
    assert ["task_finished", "jugfile.total"] in events

    record.unlink()
    run = jug("execute", "jugfile.py", cwd=work, env=env)
    assert run.returncode == 0, run
    events = [json.loads(line) for line in record.read_text().splitlines()]
    assert sorted(e[1] for e in events if e[0] == "task_skipped") == ["jugfile.double"] * 3 + ["jugfile.total"]
    assert events[-1] == ["execute_finished", 0, 4, 0]


def test_execute_hooks_see_a_failing_task(jug, site, work, jugfile):
    root, env = site
    make_distribution(root, "fakerecorder", "1.0", {"fake-recorder": "fake_recorder"},
                      {"fake_recorder": RECORDER_PLUGIN})
    jugfile("from jug import TaskGenerator\n\n@TaskGenerator\ndef boom():\n    raise KeyError('x')\n\nb = boom()\n",
            name="failing.py")
    record = work / "events.jsonl"
    run = jug("execute", "failing.py", cwd=work, env=dict(env, FAKE_RECORD=str(record)))
    assert run.returncode == 1, run
    events = [json.loads(line) for line in record.read_text().splitlines()]
    assert ["task_failed", "failing.boom", "KeyError"] in events
    assert events[-1] == ["execute_finished", 0, 0, 1]


def test_trace_plugins_prints_execute_hook_calls(jug, site, work):
    root, env = site
    make_distribution(root, "fakerecorder", "1.0", {"fake-recorder": "fake_recorder"},
                      {"fake_recorder": RECORDER_PLUGIN})
    env = dict(env, FAKE_RECORD=str(work / "events.jsonl"))
    run = jug("execute", "jugfile.py", cwd=work, env=dict(env, JUG_TRACE_PLUGINS="1"))
    assert run.returncode == 0, run
    for hook in ("jug_execute_started", "jug_task_started", "jug_task_finished", "jug_execute_finished"):
        assert hook in run.stderr, run
    assert "jug_" not in run.stdout
    quiet = jug("execute", "jugfile.py", cwd=work, env=env)
    assert "jug_" not in quiet.stderr, quiet


def test_trace_plugins_prints_command_and_store_hook_calls(jug, site, work):
    root, env = site
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    run = jug("hello", cwd=work, env=dict(env, JUG_TRACE_PLUGINS="1"))
    assert run.returncode == 0, run
    assert "jug_register_commands" in run.stderr, run  # the hook that added `hello`
    run = jug("status", "jugfile.py", cwd=work, env=dict(env, JUG_TRACE_PLUGINS="1"))
    assert "jug_store_backends" in run.stderr, run  # the hook that chose the store


# =====================================================================================
# (c) the real installs
# =====================================================================================
CORE_COMMANDS = ["execute", "status", "check", "count", "graph", "sleep-until", "invalidate", "cleanup",
                 "plugins", "config"]


def test_plugins_lists_the_real_installs(jug, tmp_path):
    run = jug("plugins", "--all", cwd=tmp_path)
    assert run.returncode == 0, run
    assert run.stderr == ""
    core = f"jugcore {installed_version('jugcore')}"
    for command in CORE_COMMANDS:
        line = _plugin_line(run.stdout, command)
        assert core in line and f"commands {command}" in line, line
    assert "hooks jug_hash_object" in _plugin_line(run.stdout, "numpy-hash")
    stop_line = _plugin_line(run.stdout, "stop-policies")
    assert "hooks jug_add_settings, jug_should_stop" in stop_line and "settings execute.max-tasks," in stop_line
    file_line = _plugin_line(run.stdout, "file")
    assert f"jug-file {installed_version('jug-file')}" in file_line and "schemes file:" in file_line
    dict_line = _plugin_line(run.stdout, "dictstore")
    assert f"jug-dictstore {installed_version('jug-dictstore')}" in dict_line
    assert "schemes dict_store:" in dict_line


def test_plugins_json_has_the_real_installs(jug, tmp_path):
    run = jug("plugins", "--json", "--all", cwd=tmp_path)
    assert run.returncode == 0, run
    data = json.loads(run.stdout)
    assert data["failed"] == []
    rows = {row["name"]: row for row in data["plugins"]}
    for row in rows.values():
        assert set(row) >= {"name", "distribution", "version", "builtin", "module", "hooks", "schemes", "commands"}
    for command in CORE_COMMANDS:
        row = rows[command]
        assert row["distribution"] == "jugcore"
        assert row["version"] == installed_version("jugcore")
        assert row["commands"] == [command]
        assert row["module"].startswith("jugcore.cli.commands.")
        assert "jug_register_commands" in row["hooks"]
    assert rows["file"]["distribution"] == "jug-file"
    assert rows["file"]["schemes"] == ["file"] and rows["file"]["commands"] == ["pack"]
    assert rows["file"]["module"] == "jug_file.hooks"
    assert rows["dictstore"]["distribution"] == "jug-dictstore"
    assert rows["dictstore"]["schemes"] == ["dict_store"]
    assert rows["dictstore"]["hooks"] == ["jug_self_check_jugdirs", "jug_store_backends"]
    assert rows["numpy-hash"]["hooks"] == ["jug_hash_object"]
    assert rows["stop-policies"]["hooks"] == ["jug_add_settings", "jug_should_stop"]
    assert rows["stop-policies"]["settings"][0] == "execute.max-tasks"
    assert rows["file"]["settings"] == ["file.fsync", "file.listing-cache", "file.empty-result-is-none"]
    assert rows["progress"]["distribution"] == "jugcore"
    assert rows["shell"]["distribution"] == "jug-shell" and rows["shell"]["commands"] == ["shell"]


def test_plugin_installed_after_a_run_is_found_despite_the_entry_point_cache(jug, site, work, tmp_path):
    root, env = site
    env = dict(env, XDG_CACHE_HOME=str(tmp_path / "cache"))
    first = jug("plugins", cwd=work, env=env)
    assert first.returncode == 0 and "fake-hello" not in first.stdout, first
    assert len(list((tmp_path / "cache" / "jug").glob("entry-points-*.marshal"))) == 1
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"}, {"fake_hello": HELLO_PLUGIN})
    second = jug("plugins", cwd=work, env=env)
    assert "fake-hello" in second.stdout, second
    assert jug("hello", cwd=work, env=env).stdout.strip() == "hello, world"


def test_entry_points_edited_in_place_are_seen_despite_the_cache(jug, site, work, tmp_path):
    root, env = site
    env = dict(env, XDG_CACHE_HOME=str(tmp_path / "cache"))
    make_distribution(root, "fakeplugin", "1.0", {"fake-hello": "fake_hello"},
                      {"fake_hello": HELLO_PLUGIN, "fake_bye": HELLO_PLUGIN.replace('"hello"', '"bye"')})
    assert jug("hello", cwd=work, env=env).returncode == 0
    entry_points = root / "fakeplugin-1.0.dist-info" / "entry_points.txt"
    times = {folder: os.stat(folder).st_mtime_ns for folder in (root, entry_points.parent)}
    entry_points.write_text("[jug]\nfake-hello = fake_bye\n")  # in place: no folder's time changes
    for folder, when in times.items():
        os.utime(folder, ns=(when, when))
    run = jug("bye", cwd=work, env=env)
    assert run.returncode == 0 and run.stdout.strip() == "hello, world", run


def test_an_entry_point_cache_of_another_user_is_not_trusted(jug, site, work, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root, to make a file that belongs to another user")
    import marshal

    root, env = site
    env = dict(env, XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert "fake-hello" not in jug("plugins", cwd=work, env=env).stdout
    (cache,) = (tmp_path / "cache" / "jug").glob("entry-points-*.marshal")
    # A module on sys.path that no installed distribution declares, and a forged
    # cache that declares it, in a file of user nobody.
    when = os.stat(root).st_mtime_ns
    (root / "fake_hello.py").write_text(HELLO_PLUGIN)
    os.utime(root, ns=(when, when))  # the cache stays valid in every other respect
    content = marshal.loads(cache.read_bytes())
    for rows in content["entries"].values():
        rows.append(["fake-hello", "fake_hello", ""])
    cache.write_bytes(marshal.dumps(content))
    os.chown(cache, 65534, 65534)
    assert "fake-hello" not in jug("plugins", cwd=work, env=env).stdout


def test_entry_point_cache_can_be_turned_off(jug, site, work, tmp_path):
    root, env = site
    env = dict(env, XDG_CACHE_HOME=str(tmp_path / "cache"), JUG_PLUGIN_CACHE="0")
    assert jug("plugins", cwd=work, env=env).returncode == 0
    assert not (tmp_path / "cache" / "jug").exists()
