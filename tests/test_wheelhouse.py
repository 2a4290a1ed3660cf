"""The distributions as a user gets them: wheels built by scripts/wheels.sh,
installed with no index into a fresh venv, running a real jugfile on file,
dict and Redis stores; then the example third-party plugin (jug-sqlite)
installed the same way beside them, and tested with pytest-jug's wheel alone,
as its author would.  And Jug 2.7 installed over jugcore, and under it: the
mixed install is refused with the way out, which works."""
import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from pytest_jug import IN_CI, sample_jugfile

ROOT = Path(__file__).resolve().parent.parent
WHEELS_SCRIPT = ROOT / "scripts" / "wheels.sh"
EXAMPLE_PLUGIN = "examples/plugins/jug_sqlite"  # a third party's plugin, installed afterwards
# Jug 2.7.0 too: installed over jugcore (and under it) by the tests of a mixed install.
DEPENDENCIES = ["pluggy", "click", "platformdirs", "psutil", "tomli; python_version < '3.11'", "redis", "pytest",
                "jug==2.7.0"]

JUGFILE = sample_jugfile(5, task="square", body="x * x", items="squares")


def _run(cmd, **kwargs):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory):
    """(folder of wheels: ours, built by scripts/wheels.sh as the README says, and
    our dependencies', environment for pip)."""
    base = tmp_path_factory.mktemp("wheelhouse")
    env = dict(os.environ, PIP_CACHE_DIR=str(base / "pip-cache"), PIP_DISABLE_PIP_VERSION_CHECK="1",
               PYTHON=sys.executable)
    env.pop("PYTHONPATH", None)
    wheels = base / "wheels"
    _run([WHEELS_SCRIPT, wheels], env=env, cwd=base)
    built = sorted(p.name.split("-")[0] for p in wheels.glob("*.whl"))
    assert built == ["jug_dictstore", "jug_file", "jug_keepalive", "jug_redis", "jug_shell", "jug_slurm", "jug_sqlite",
                     "jugcore", "pytest_jug"], built
    download = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "-d", str(wheels), *DEPENDENCIES],
        capture_output=True, text=True, env=env, cwd=base,
    )
    if download.returncode != 0:
        if IN_CI:
            pytest.fail(f"pip download failed:\n{download.stderr}")
        pytest.skip(f"dependencies not downloadable (offline?): {download.stderr.strip()[-300:]}")
    return wheels, env


def _install(python, wheelhouse, *names):
    wheels, env = wheelhouse
    _run([python, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheels, *names],
         env=env, cwd=wheels.parent)


@pytest.fixture(scope="module")
def installed(wheelhouse):
    """A fresh venv with jugcore installed from the local wheelhouse only; its folder."""
    target = wheelhouse[0].parent / "venv"
    venv.create(target, with_pip=True)
    _install(target / "bin" / "python", wheelhouse, "jugcore")
    return target


def test_installs_from_the_wheelhouse_alone(installed):
    python = installed / "bin" / "python"
    names = _run([python, "-m", "pip", "list", "--format=freeze"], cwd=installed).stdout
    for dist in ("jugcore", "jug-file", "jug-dictstore", "pluggy", "click", "platformdirs"):
        assert f"{dist}==" in names.replace("jug_", "jug-"), names
    _run([python, "-m", "pip", "check"], cwd=installed)
    where = _run([python, "-c", "import jug, jugcore, jug_file, jug_dictstore; "
                  "print(jug.__file__, jugcore.__file__, jug_file.__file__, jug_dictstore.__file__)"],
                 cwd=installed).stdout.split()
    assert all(path.startswith(str(installed)) for path in where), where  # not the working tree


def test_jugfile_runs_with_the_installed_jug(installed, tmp_path, jug):
    exe = installed / "bin" / "jug"
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    run = jug("status", "jugfile.py", cwd=tmp_path, jug=exe)
    assert run.returncode == 1, run  # nothing ran yet
    run = jug("execute", "jugfile.py", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    assert "Traceback" not in run.output
    assert (tmp_path / "jugfile.jugdata").is_dir()
    run = jug("status", "jugfile.py", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    assert "jugfile.square" in run.stdout and "jugfile.total" in run.stdout
    run = jug("check", "jugfile.py", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    value = _run([installed / "bin" / "python", "-c",
                  "import jug; s, ns = jug.init('jugfile.py', 'jugfile.jugdata'); print(jug.value(ns['result']))"],
                 cwd=tmp_path).stdout
    assert value.strip() == "30"


def test_dict_store_runs_with_the_installed_jug(installed, tmp_path, jug):
    exe = installed / "bin" / "jug"
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    run = jug("execute", "jugfile.py", "--jugdir", "dict_store:results.pkl", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    assert (tmp_path / "results.pkl").exists()
    run = jug("status", "jugfile.py", "--jugdir", "dict_store:results.pkl", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run


def test_installed_jug_lists_its_plugins(installed, tmp_path, jug):
    alone = jug("plugins", cwd=tmp_path, jug=installed / "bin" / "jug")
    assert alone.stdout.startswith("No plugins installed besides the built-in ones"), alone
    run = jug("plugins", "--all", cwd=tmp_path, jug=installed / "bin" / "jug")
    assert run.returncode == 0, run
    assert run.stderr == ""
    lines = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    assert "jug-file" in lines["file"] and "schemes file:" in lines["file"]
    assert "jug-dictstore" in lines["dictstore"] and "schemes dict_store:" in lines["dictstore"]
    for command in ("execute", "status", "check", "count", "graph", "sleep-until", "plugins"):
        assert "jugcore" in lines[command], run
    assert "commands pack" in lines["file"], run
    assert "shell" not in lines  # jug-shell is a distribution of its own


def _wheel_files(wheelhouse, name):
    """{path: text} of the wheel of distribution ``name`` (its .py and .dist-info files)."""
    (wheel,) = wheelhouse[0].glob(f"{name}-*.whl")
    with zipfile.ZipFile(wheel) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.endswith(".py") or ".dist-info/" in n}


def _dist_info(files, suffix):
    return next(text for path, text in files.items() if path.endswith(f".dist-info/{suffix}"))


def test_jug_shell_wheel_declares_ipython_and_its_entry_point(wheelhouse):
    files = _wheel_files(wheelhouse, "jug_shell")
    metadata, entry_points = _dist_info(files, "METADATA"), _dist_info(files, "entry_points.txt")
    assert "Requires-Dist: jugcore" in metadata and "Requires-Dist: ipython" in metadata, metadata
    assert "[jug]\nshell = jug_shell.hooks" in entry_points, entry_points


def test_core_wheel_holds_no_test_support(wheelhouse):
    files = _wheel_files(wheelhouse, "jugcore")
    assert "jugcore/api.py" in files  # the right wheel
    assert not [path for path in files if path.startswith("jugcore/testing/")]
    importing_pytest = [path for path, text in files.items()
                        if path.endswith(".py") and re.search(r"^\s*(import|from)\s+_?pytest\b", text, re.M)]
    assert importing_pytest == []
    requires = re.findall(r"^Requires-Dist: (.*)$", _dist_info(files, "METADATA"), re.M)
    assert [r for r in requires if r.startswith("pytest") and "extra ==" not in r] == [], requires


def test_pytest_jug_wheel_declares_its_pytest11_entry_point(wheelhouse):
    files = _wheel_files(wheelhouse, "pytest_jug")
    assert "pytest_jug/contract/__init__.py" in files and "pytest_jug/store_process.py" in files
    assert "[pytest11]\njug = pytest_jug.plugin" in _dist_info(files, "entry_points.txt")
    requires = re.findall(r"^Requires-Dist: (\S+)", _dist_info(files, "METADATA"), re.M)
    assert {"jugcore", "pytest>=7"} <= set(requires), requires


def test_installed_jugcore_needs_no_pytest(installed):
    """Every name of jugcore.api and every built-in plugin loads with pytest unimportable."""
    script = ("import sys; sys.modules['pytest'] = sys.modules['_pytest'] = None\n"  # an import of them fails
              "import jug, jugcore.api\n"
              "from jugcore.plugins import make_plugin_manager\n"
              "[getattr(jugcore.api, name) for name in jugcore.api.__all__]\n"
              "print(len(make_plugin_manager().list_name_plugin()))\n")
    loaded = _run([installed / "bin" / "python", "-c", script], cwd=installed).stdout
    assert int(loaded) > 10, loaded


# A third party's test of its own command, with pytest-jug's fixtures and no conftest.py.
_FIXTURES_TEST = """\
from pytest_jug import sample_jugfile


def test_status_of_a_fresh_jugfile(jug, jugfile):
    folder = jugfile(sample_jugfile(n=2)).parent
    run = jug("status", "jugfile.py", "--jugdir", "sqlite:run.db", cwd=folder)
    assert run.returncode == 1 and "jugfile.double" in run.stdout, run
"""


def test_third_party_plugin_tests_itself_with_the_pytest_jug_wheel(installed, wheelhouse, tmp_path):
    """jug-sqlite's own contract test, run by the installed pytest with only the
    wheels: jugcore, pytest-jug, jug-sqlite (no numpy: its tests skip)."""
    python = installed / "bin" / "python"
    _install(python, wheelhouse, "pytest-jug", "jug-sqlite")
    _run([python, "-m", "pip", "check"], cwd=installed)
    shutil.copy(ROOT / EXAMPLE_PLUGIN / "tests" / "test_sqlite_contract.py", tmp_path)
    (tmp_path / "test_fixtures.py").write_text(_FIXTURES_TEST)
    run = subprocess.run([python, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-W", "error::DeprecationWarning"],
                         cwd=tmp_path, capture_output=True, text=True, env=wheelhouse[1], timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "test_round_trip[nested-dict] PASSED" in run.stdout, run.stdout
    assert "test_status_of_a_fresh_jugfile PASSED" in run.stdout
    assert "test_lock_is_exclusive_across_processes PASSED" in run.stdout  # its child processes too


def test_example_plugin_installs_and_serves_its_scheme(installed, wheelhouse, tmp_path, jug):
    python, exe = installed / "bin" / "python", installed / "bin" / "jug"
    _install(python, wheelhouse, "jug-sqlite")
    _run([python, "-m", "pip", "check"], cwd=installed)
    listing = jug("plugins", "--json", cwd=tmp_path, jug=exe)
    assert listing.returncode == 0 and listing.stderr == "", listing
    rows = {row["name"]: row for row in json.loads(listing.stdout)["plugins"]}
    assert rows["sqlite"]["distribution"] == "jug-sqlite" and rows["sqlite"]["version"] == "0.1.0"
    assert rows["sqlite"]["schemes"] == ["sqlite"]
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    run = jug("execute", "jugfile.py", "--jugdir", "sqlite:results/run.db", "-j", "2", cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    assert "Traceback" not in run.output
    assert (tmp_path / "results" / "run.db").is_file()
    assert not (tmp_path / "jugfile.jugdata").exists()
    value = _run([python, "-c", "import jug; s, ns = jug.init('jugfile.py', 'sqlite:results/run.db'); "
                  "print(jug.value(ns['result']))"], cwd=tmp_path).stdout
    assert value.strip() == "30"


def test_keepalive_plugin_installs_and_runs(installed, wheelhouse, tmp_path, jug):
    """`pip install jug-keepalive` next to jugcore adds the file_keepalive: scheme."""
    python, exe = installed / "bin" / "python", installed / "bin" / "jug"
    _install(python, wheelhouse, "jug-keepalive")
    _run([python, "-m", "pip", "check"], cwd=installed)
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    jugdir = "file_keepalive:jugfile.jugdata?lease=60"
    run = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path, jug=exe)
    assert run.returncode == 0 and "Traceback" not in run.output, run
    assert jug("check", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path, jug=exe).returncode == 0


def test_redis_store_installs_and_runs(installed, wheelhouse, tmp_path, jug, redis_server):
    """`pip install jugcore jug-redis`, then `jug execute --jugdir redis://...` just works."""
    python, exe = installed / "bin" / "python", installed / "bin" / "jug"
    _install(python, wheelhouse, "jug-redis")
    _run([python, "-m", "pip", "check"], cwd=installed)
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    url = redis_server.url(5, "prefix=wheelhouse:")
    run = jug("execute", "jugfile.py", "--jugdir", url, cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    run = jug("check", "jugfile.py", "--jugdir", url, cwd=tmp_path, jug=exe)
    assert run.returncode == 0, run
    listing = jug("plugins", "--json", cwd=tmp_path, jug=exe)
    rows = {row["name"]: row for row in json.loads(listing.stdout)["plugins"]}
    assert rows["redis"]["distribution"] == "jug-redis" and "redis" in rows["redis"]["schemes"], rows
    # Jug 2's name for the store, from the installed plugin.
    named = _run([python, "-c", "from jug.backends.redis_store import redis_store; print(redis_store.__module__)"],
                 cwd=tmp_path).stdout
    assert named.strip() == "jug_redis.store"


def test_jug_execute_script_runs_like_jug_execute(installed, tmp_path, jug):
    """Jug 2 installs `jug-execute`; so do we."""
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    run = jug("jugfile.py", "--jugdir", "results", cwd=tmp_path, jug=installed / "bin" / "jug-execute")
    assert run.returncode == 0, run
    assert "jugfile.square" in run.stdout and (tmp_path / "results").is_dir()
    assert jug("check", "jugfile.py", "--jugdir", "results", cwd=tmp_path, jug=installed / "bin" / "jug").returncode == 0


def test_installed_jug_version_names_jugcore_and_the_jug_it_matches(installed, tmp_path, jug):
    run = jug("--version", cwd=tmp_path, jug=installed / "bin" / "jug")
    assert run.returncode == 0, run
    assert run.stdout.strip() == "jug (jugcore) 0.1.0, compatible with Jug 2.7.0"


# --- jugcore and Jug 2.7 in one environment -------------------------------------------------
@pytest.fixture
def fresh_venv(wheelhouse, tmp_path):
    """install(*names) into a new venv from the wheelhouse alone; returns the venv's folder."""
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)

    def install(*names):
        _install(target / "bin" / "python", wheelhouse, *names)
        return target

    return install


def _mixed_install_refused(run, what):
    assert run.returncode != 0, run
    assert run.stderr.startswith(f"jug: error: {what}: both install the `jug` package and command"), run
    assert "To use jugcore: pip uninstall -y jug jugcore, then pip install jugcore" in run.stderr, run
    assert "Traceback" not in run.output


@pytest.mark.parametrize("first, then, refused, keep, version", [
    ("jugcore", "jug==2.7.0", "Jug 2.7 was installed over jugcore", "jugcore", "jug (jugcore) 0.1.0"),
    ("jug==2.7.0", "jugcore", "jugcore was installed over Jug 2.7", "jug==2.7.0", "2.7.0"),
], ids=["jug27-over-jugcore", "jugcore-over-jug27"])
def test_one_installed_over_the_other_is_refused_and_the_fix_works(first, then, refused, keep, version, fresh_venv,
                                                                   wheelhouse, tmp_path, jug):
    """Over jugcore, Jug 2.7's own `jug` runs, and stops at a leftover module of ours."""
    folder = fresh_venv(first)
    fresh_venv(then)
    exe = folder / "bin" / "jug"
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    for args in (["execute", "jugfile.py"], ["--version"]):
        _mixed_install_refused(jug(*args, cwd=tmp_path, jug=exe), refused)
    assert not (tmp_path / "jugfile.jugdata").exists()
    # The way out the message gives: uninstall both, install the one to use.
    _run([folder / "bin" / "python", "-m", "pip", "uninstall", "-q", "-y", "jug", "jugcore"], env=wheelhouse[1])
    fresh_venv(keep)
    run = jug("--version", cwd=tmp_path, jug=exe)
    assert run.returncode == 0 and run.stdout.startswith(version), run
    assert jug("execute", "jugfile.py", cwd=tmp_path, jug=exe).returncode == 0


def test_another_jug_package_first_on_the_path_is_refused(installed, tmp_path, jug):
    """A `jug` package that is not ours ahead of it on sys.path (PYTHONPATH, a user
    site) would give jugfiles another TaskGenerator: refused, naming both folders."""
    other = tmp_path / "elsewhere" / "jug"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("")
    run = jug("status", "jugfile.py", cwd=tmp_path, jug=installed / "bin" / "jug",
              env={"PYTHONPATH": str(other.parent)})
    assert run.returncode == 1, run
    assert run.stderr.startswith(f"jug: error: Python imports the `jug` package from {other}, not jugcore's ("), run
