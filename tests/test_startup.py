"""Every `jug` command loads every installed plugin: what they import at load
time is paid by every command, `jug status` on a million tasks included."""
import subprocess
import sys

from pytest_jug import jug_environ

# Each is tens of milliseconds to import, needed only by a command or a store that uses it.
HEAVY = ["redis", "IPython", "sqlite3", "importlib.metadata", "platformdirs", "tomllib", "tomli",
         "configparser", "jugcore.run.scheduler", "jugcore.run.worker", "jugcore.run.local_workers",
         "jug_file.store", "jug_dictstore.store", "jug_keepalive.store",
         "asyncio", "subprocess", "html",
         # A few milliseconds each, needed by few commands: json, shutil (with bz2, lzma), and dataclasses
         # (building a dataclass execs generated code; records here are NamedTuples).
         "json", "shutil", "dataclasses"]

LOADED_MODULES = """\
import sys
sys.argv = ["jug", "--version"]
from jugcore.cli import main
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)))
"""


def _modules_after_start(tmp_path):
    run = subprocess.run([sys.executable, "-c", LOADED_MODULES], cwd=tmp_path, env=jug_environ(),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return set(run.stdout.split())


def test_loading_every_plugin_imports_no_store_and_no_heavy_library(tmp_path):
    _modules_after_start(tmp_path)  # the first start may scan and cache the entry points
    loaded = _modules_after_start(tmp_path)
    assert "jug_redis.hooks" in loaded and "jug_file.hooks" in loaded  # the plugins were loaded...
    assert sorted(m for m in HEAVY if m in loaded) == []  # ...and what they serve was not
