"""Files written next to user data: never through a symlink planted at a name
that can be guessed, and the partial files of writers that died are removed
(by the next writer and by `jug cleanup`), never a live writer's.

The old names held the writer's pid, so each planting test starts `jug` through
a launcher that prints its pid, waits until the symlinks are planted, and then
execs `jug` (keeping that pid).
"""
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from pytest_jug import JUG_BIN, jug_environ
from jugcore.temp_files import FOREIGN_TEMP_AGE

PRECIOUS = b"precious data nobody should overwrite\n"

_LAUNCHER = ("import os, sys; print(os.getpid(), flush=True); sys.stdin.readline(); "
             "os.execv(sys.argv[1], sys.argv[1:])")


def run_jug_after_planting(plant, *args, cwd, env=None):
    """Run ``jug ARGS`` to the end, calling ``plant(pid)`` with its pid before it starts;
    (returncode, stdout, stderr)."""
    proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(JUG_BIN), *map(str, args)], cwd=cwd,
                            env=jug_environ(env), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    plant(int(proc.stdout.readline()))
    out, err = proc.communicate("go\n", timeout=120)
    return proc.returncode, out, err


def plant_symlinks(names, victim):
    def plant(pid):
        for name in names(pid):
            os.symlink(victim, name)
    return plant


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim"
    path.write_bytes(PRECIOUS)
    return path


WRITE_TASK_OUT = """
    from jug import TaskGenerator
    from jug.io import write_task_out

    @TaskGenerator
    def compute():
        return [1, 2, 3]

    write_task_out(compute(), "out.pkl", metadata_fname="meta.json", metadata_format="json")
"""


def test_write_task_out_ignores_symlinks_at_the_old_temp_names(tmp_path, jugfile, victim):
    jugfile(WRITE_TASK_OUT)
    plant = plant_symlinks(lambda pid: [tmp_path / f"out.pkl.tmp-{pid}", tmp_path / f"meta.json.tmp-{pid}"], victim)
    code, out, err = run_jug_after_planting(plant, "execute", "jugfile.py", cwd=tmp_path)
    assert code == 0, err
    assert victim.read_bytes() == PRECIOUS
    import pickle

    assert pickle.loads((tmp_path / "out.pkl").read_bytes()) == [1, 2, 3]


def test_dict_store_ignores_a_symlink_at_the_old_temp_name(tmp_path, jugfile, victim):
    jugfile("from jug import Task\nt = Task(sum, [1, 2])\n")
    plant = plant_symlinks(lambda pid: [tmp_path / f"store.pkl.tmp-{pid}"], victim)
    code, out, err = run_jug_after_planting(plant, "execute", "jugfile.py", "--jugdir", "dict_store:store.pkl",
                                            cwd=tmp_path)
    assert code == 0, err
    assert victim.read_bytes() == PRECIOUS
    assert (tmp_path / "store.pkl").is_file() and not (tmp_path / "store.pkl").is_symlink()


def test_dict_store_refuses_a_symlink_as_its_lock_file(tmp_path, jugfile, jug):
    jugfile("from jug import Task\nt = Task(sum, [1, 2])\n")
    target = tmp_path / "created-through-the-link"
    os.symlink(target, tmp_path / "store.pkl.lock")
    run = jug("execute", "jugfile.py", "--jugdir", "dict_store:store.pkl", cwd=tmp_path)
    assert run.returncode != 0
    assert not target.exists(), run  # the old open(..., "a") created the link's target
    assert run.stderr.startswith("jug: error: dict_store:store.pkl cannot be locked"), run
    assert "symbolic link" in run.stderr and "Traceback" not in run.stderr, run


def test_graph_ignores_symlinks_at_the_dot_file_and_the_old_partial_name(tmp_path, jugfile, victim):
    if not os.path.exists("/usr/bin/dot") and not any(
            os.access(os.path.join(d, "dot"), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep)):
        pytest.skip("Graphviz's dot is not installed")
    jugfile("from jug import Task\nt = Task(sum, [1, 2])\n", name="jf.py")
    plant = plant_symlinks(lambda pid: [tmp_path / f"jf.png.{pid}.partial", tmp_path / "jf.dot"], victim)
    code, out, err = run_jug_after_planting(plant, "graph", "jf.py", cwd=tmp_path)
    assert code == 0, err
    assert victim.read_bytes() == PRECIOUS
    assert (tmp_path / "jf.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "digraph" in (tmp_path / "jf.dot").read_text()


def test_entry_point_cache_ignores_a_symlink_at_the_old_temp_name(tmp_path, jugfile, victim, monkeypatch):
    from jugcore.plugins import entrypoints

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    cache_file = entrypoints._cache_file()  # the file a cache miss writes
    os.makedirs(os.path.dirname(cache_file))
    jugfile("from jug import Task\nt = Task(sum, [1, 2])\n")
    plant = plant_symlinks(lambda pid: [f"{cache_file}.{pid}.tmp"], victim)
    code, out, err = run_jug_after_planting(plant, "execute", "jugfile.py", cwd=tmp_path,
                                            env={"XDG_CACHE_HOME": str(cache)})
    assert code == 0, err
    assert victim.read_bytes() == PRECIOUS
    assert os.path.isfile(cache_file)


# --- partial files of dead writers ----------------------------------------------------------
_WRITER = textwrap.dedent("""
    import sys
    from jugcore.temp_files import replacing

    final, folder = sys.argv[1:]
    with replacing(final, folder=folder, sweep=False) as f:
        f.write(b"x" * (29 << 20))  # a 29 MB result, half-way
        f.flush()
        print("writing", flush=True)
        sys.stdin.readline()  # until the test kills it, or lets it finish
""")


class Writer:
    """A real process in the middle of writing ``final`` through a temporary file in ``folder``."""

    def __init__(self, final, folder):
        self.proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(final), str(folder)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline() == "writing\n"
        (self.temp,) = [os.path.join(folder, n) for n in os.listdir(folder) if n.startswith(f".{final.name}.jugtmp-")]

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def finish(self):
        self.proc.stdin.close()
        return self.proc.wait()


def _jugdir_with_results(jug, jugfile, tmp_path):
    jugfile("from jug import TaskGenerator\n@TaskGenerator\ndef f(x):\n    return x\nr = [f(i) for i in range(3)]\n")
    assert jug("execute", "jugfile.py", cwd=tmp_path).returncode == 0
    return tmp_path / "jugfile.jugdata"


def test_cleanup_removes_a_dead_writers_partial_file_but_not_a_live_ones(jug, jugfile, tmp_path):
    tempfiles = _jugdir_with_results(jug, jugfile, tmp_path) / "tempfiles"
    dead = Writer(tmp_path / "final-dead", tempfiles)
    dead.kill()
    live = Writer(tmp_path / "final-live", tempfiles)
    try:
        run = jug("cleanup", "jugfile.py", cwd=tmp_path)
        assert run.returncode == 0, run
        assert "Removed 1 partial files" in run.stdout, run
        assert not os.path.exists(dead.temp)
        assert os.path.getsize(live.temp) == 29 << 20  # its writer is alive: untouched
    finally:
        assert live.finish() == 0
    assert os.path.getsize(tmp_path / "final-live") == 29 << 20


def test_the_next_execute_removes_a_dead_writers_partial_file(jug, jugfile, tmp_path):
    jugdir = _jugdir_with_results(jug, jugfile, tmp_path)
    dead = Writer(tmp_path / "final", jugdir / "tempfiles")
    dead.kill()
    (tmp_path / "jugfile.py").write_text((tmp_path / "jugfile.py").read_text() + "more = f(99)\n")
    run = jug("execute", "jugfile.py", cwd=tmp_path)  # stores one new result
    assert run.returncode == 0, run
    assert not os.path.exists(dead.temp)


def test_partial_files_of_other_hosts_and_of_jug27_are_removed_by_age_only(jug, jugfile, tmp_path):
    tempfiles = _jugdir_with_results(jug, jugfile, tmp_path) / "tempfiles"
    tempfiles.mkdir(exist_ok=True)
    old = FOREIGN_TEMP_AGE + 3600
    names = {
        ".abc.jugtmp-0011aabb-4242@some-other-host": old,  # ours, written on another machine
        ".abd.jugtmp-0011aabc-4243@some-other-host": 60,  # may still be written there
        "QWErtyUIOpasdfGHJklzxcvb": old,  # Jug 2.7's random name
        "QWErtyUIOpasdfGHJklzxcvc": 60,
    }
    for name, age in names.items():
        path = tempfiles / name
        path.write_bytes(b"partial")
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime - age))
    run = jug("cleanup", "jugfile.py", cwd=tmp_path)
    assert run.returncode == 0, run
    left = set(os.listdir(tempfiles))
    assert left & set(names) == {n for n, age in names.items() if age == 60}, run
