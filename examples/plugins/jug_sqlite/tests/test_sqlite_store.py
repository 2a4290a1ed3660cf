"""The SQLite store as users meet it: real `jug` processes on a sqlite: jugdir."""
import os
import signal
import sqlite3
import subprocess

import pytest

from pytest_jug import (JUG_BIN, StoreProcess, must, sample_jugfile, summary_table, traced_peak, wait_until,
                        with_sync)

JUGFILE = sample_jugfile(n=20, task="square", body="x * x", items="squares")
VALUE_OF_RESULT = '''
import jug
_, space = jug.init("jugfile.py", "sqlite:run.db")
print(jug.value(space["result"]))
'''


@pytest.fixture
def project(jugfile):
    return jugfile(JUGFILE).parent


def test_two_workers_fill_one_database(jug, project):
    run = jug("execute", "jugfile.py", "--jugdir", "sqlite:run.db", "-j", "2", cwd=project)
    assert run.returncode == 0, run
    assert summary_table(run.stdout)["jugfile.square"] == [20, 0]  # executed once each
    # No file per result.  SQLite's own -wal/-shm may stay: two workers closing at the same moment
    # can each see the other still open, and neither removes them (they are reused next time).
    left = sorted(name for name in os.listdir(project) if not name.endswith(("-wal", "-shm")))
    assert left == ["jugfile.py", "run.db"]
    db = sqlite3.connect(project / "run.db")
    assert db.execute("SELECT count(*) FROM results").fetchone() == (21,)
    assert db.execute("SELECT count(*) FROM locks").fetchone() == (0,)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert jug("check", "jugfile.py", "--jugdir", "sqlite:run.db", cwd=project).returncode == 0
    status = jug("status", "jugfile.py", "--jugdir", "sqlite:run.db", cwd=project)
    assert status.returncode == 0, status
    again = jug("execute", "jugfile.py", "--jugdir", "sqlite:run.db", cwd=project)
    assert again.returncode == 0 and "Traceback" not in again.output, again


def test_results_are_read_back_by_jug_init(jug, project):
    assert jug("execute", "jugfile.py", "--jugdir", "sqlite:run.db", cwd=project).returncode == 0
    (project / "read.py").write_text(VALUE_OF_RESULT)
    out = subprocess.run([str(JUG_BIN.with_name("python")), "read.py"], cwd=project, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(sum(i * i for i in range(20)))


HOLDING_JUGFILE = with_sync('''
    from jug import TaskGenerator

    @TaskGenerator
    def slow():
        touch("started")
        wait_for("go")
        return "done"

    result = slow()
''')


def test_a_killed_workers_lock_is_taken_over(jug, jugfile, background, tmp_path):
    jugfile(HOLDING_JUGFILE)
    worker = background("first", "execute", "jugfile.py", "--jugdir", "sqlite:run.db")
    must(lambda: (tmp_path / "started").exists(), 60, "the task to start")
    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.wait(30)
    (tmp_path / "started").unlink()
    (tmp_path / "go").touch()
    run = jug("execute", "jugfile.py", "--jugdir", "sqlite:run.db", cwd=tmp_path)
    assert run.returncode == 0, run
    assert (tmp_path / "started").exists()  # run again, by the second worker
    assert jug("check", "jugfile.py", "--jugdir", "sqlite:run.db", cwd=tmp_path).returncode == 0


def test_a_writer_holding_the_database_is_waited_for(tmp_path):
    path = tmp_path / "run.db"
    child = StoreProcess(f"sqlite:{path}", cwd=tmp_path)
    try:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process's long write
        child.send("dump_repeatedly", key="ab" * 20, writer=1, size=10, times=1)
        assert not wait_until(child.has_answer, 0.5)  # waits, rather than failing
        other.execute("COMMIT")
        assert child.receive() == {}
        assert child.call("load", key="ab" * 20)["value"].startswith("{'writer': 1")
    finally:
        child.kill()


@pytest.mark.parametrize("jugdir, message", [
    ("sqlite:", "the sqlite: jugdir needs a database file, as in sqlite:run.db"),
    ("sqlite:folder", "is a directory; name a database file"),
    ("sqlite:not-a-database.txt", "cannot be used as a jug database (file is not a database)"),
])
def test_bad_jugdir_is_one_clear_error(jug, project, jugdir, message):
    (project / "folder").mkdir()
    (project / "not-a-database.txt").write_text("some notes\n" * 100)
    run = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=project)
    assert run.returncode == 1, run
    assert run.stderr.startswith("jug: error: ") and message in run.stderr, run
    assert "Traceback" not in run.output
    assert (project / "not-a-database.txt").read_text() == "some notes\n" * 100


def test_a_result_larger_than_sqlite_allows_is_a_clear_error(tmp_path):
    from jug_sqlite.store import SqliteStore

    store = SqliteStore(str(tmp_path / "run.db"))
    store.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1000)
    key = b"cd" * 20
    with pytest.raises(ValueError, match="too large for SQLite"):
        store.dump(key, os.urandom(5000))
    assert not store.can_load(key)
    store.close()


def test_a_newer_schema_is_refused(tmp_path):
    from jug_sqlite.store import SqliteStore
    from jugcore.errors import JugError

    SqliteStore(str(tmp_path / "run.db")).close()
    sqlite3.connect(tmp_path / "run.db").execute("PRAGMA user_version = 99")
    with pytest.raises(JugError, match="newer jug-sqlite"):
        SqliteStore(str(tmp_path / "run.db"))


def test_can_load_many_answers_alike_by_lookup_and_by_listing(tmp_path):
    from jug_sqlite.store import SqliteStore
    from pytest_jug import key

    store = SqliteStore(str(tmp_path / "run.db"))
    keys = [key(i) for i in range(3000)]
    for k in keys[:1500:2]:
        store.dump(k, None)
    assert store.can_load_many(keys[:1500]) == set(keys[:1500:2])  # few results: one listing
    for k in keys[1500::2]:
        store.dump(k, None)
    assert store.can_load_many(keys[1000:2200]) == set(keys[1000:2200:2])  # many results: lookups
    assert store.can_load_many(iter(keys)) == set(keys[::2])
    store.close()


def _open_and_report(paths, start, results):
    from jugcore.plugins import make_plugin_manager
    from jugcore.stores.contract import select_backend

    pm = make_plugin_manager()
    backends = [select_backend(pm, f"sqlite:{path}") for path in paths]
    start.wait()  # every process is ready to open: they all open at once
    for backend, url in backends:
        try:
            backend.open(url).close()
            results.put("ok")
        except Exception as e:  # reported to the parent, which fails the test with it
            results.put(f"{type(e).__name__}: {e}")


def test_workers_opening_a_new_database_together_all_get_it(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    paths = [tmp_path / f"new{i}.db" for i in range(20)]
    procs = [context.Process(target=_open_and_report, args=(paths, start, results)) for _ in range(6)]
    for p in procs:
        p.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in range(len(procs) * len(paths))]
    for p in procs:
        p.join(60)
    assert outcomes == ["ok"] * len(outcomes), sorted(set(outcomes))


# --- arrays -------------------------------------------------------------------------------------------------------
@pytest.fixture
def sqlite_store(tmp_path):
    from jug_sqlite import SqliteStore

    store = SqliteStore(str(tmp_path / "arrays.db"))
    yield store
    store.db.close()


@pytest.mark.parametrize("kind", ["fortran", "zero_d", "empty", "structured", "several_pieces"])
def test_arrays_load_back_as_stored(sqlite_store, kind):
    np = pytest.importorskip("numpy")
    from jug_sqlite.blobs import PIECE

    value = {
        "fortran": lambda: np.asfortranarray(np.arange(24, dtype=">i4").reshape(2, 3, 4)),
        "zero_d": lambda: np.array(7.5),
        "empty": lambda: np.zeros((0, 4)),
        "structured": lambda: np.array([(1, b"x")], dtype=[("n", "<u2"), ("s", "S1")]),
        "several_pieces": lambda: np.random.default_rng(0).random(3 * PIECE // 8 + 5),
    }[kind]()
    sqlite_store.dump(b"a" * 40, value)
    loaded = sqlite_store.load(b"a" * 40)
    assert loaded.dtype == value.dtype and loaded.shape == value.shape and loaded.tobytes() == value.tobytes()
    assert loaded.flags.f_contiguous == value.flags.f_contiguous and loaded.flags.writeable


def test_loading_a_big_array_needs_little_memory_beyond_the_array(sqlite_store):
    np = pytest.importorskip("numpy")
    value = np.random.default_rng(0).random(16 * (1 << 20) // 8)
    sqlite_store.dump(b"b" * 40, value)
    loaded, peak = traced_peak(lambda: sqlite_store.load(b"b" * 40))
    assert np.array_equal(loaded, value)
    assert peak <= 1.2 * value.nbytes, peak / value.nbytes  # read piece by piece into the array


def test_a_cut_short_array_is_reported_as_corrupt_naming_its_key(sqlite_store):
    np = pytest.importorskip("numpy")
    from jugcore.api import CorruptResult

    sqlite_store.dump(b"c" * 40, np.arange(100.0))
    sqlite_store.db.execute("UPDATE results SET value = substr(value, 1, 500) WHERE key = ?", ("c" * 40,))
    with pytest.raises(CorruptResult, match=f"cut short.*key {'c' * 40} in "):
        sqlite_store.load(b"c" * 40)
