"""The test helpers' names from before pytest-jug (jugcore.testing...), as
docs/plugins gave them to plugin authors, still import, with a DeprecationWarning."""
import json
import subprocess
import sys

import pytest

OLD = {
    "jugcore.testing": "pytest_jug",
    "jugcore.testing.contract": "pytest_jug.contract",
    "jugcore.testing.fixtures": "pytest_jug.plugin",
    "jugcore.testing.store_process": "pytest_jug.store_process",
    "jugcore.testing.redis_server": "pytest_jug.redis_server",
}


def _python(script):
    """What ``script`` prints, run in a fresh interpreter (warnings of first imports, sys.modules)."""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("old", sorted(OLD))
def test_old_name_is_the_new_module_with_a_warning(old):
    script = f"""if True:
        import importlib, json, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = importlib.import_module({old!r})
        mine = [str(w.message) for w in caught if w.category is DeprecationWarning and {old!r} in str(w.message)]
        print(json.dumps([module.__name__, module is importlib.import_module(module.__name__), mine]))
    """
    name, same, warned = json.loads(_python(script))
    assert (name, same) == (OLD[old], True)
    assert len(warned) == 1 and f"is now {OLD[old]}" in warned[0], warned


def test_documented_imports_keep_working():
    script = """if True:
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)
        from jugcore.testing import sample_jugfile, run_jug, must
        from jugcore.testing.contract import StoreContract, key
        from jugcore.testing.fixtures import jug, jugfile
        from jugcore.testing.store_process import StoreProcess
        from jugcore.testing.redis_server import RedisServer
        import pytest_jug
        print(StoreContract is pytest_jug.StoreContract and run_jug is pytest_jug.run_jug)
    """
    assert _python(script) == "True\n"


def test_without_pytest_jug_the_error_says_what_to_install():
    script = """if True:
        import sys
        sys.modules["pytest_jug"] = None  # not installed
        try:
            import jugcore.testing.contract
        except ModuleNotFoundError as e:
            print(e.name, "|", e)
    """
    assert _python(script).strip() == (
        "jugcore.testing | jugcore.testing is now pytest_jug, in the distribution pytest-jug: pip install pytest-jug")


def test_a_leftover_folder_of_the_old_package_does_not_shadow_it(tmp_path):
    """A checkout from before the move keeps jugcore/testing/__pycache__ (untracked)."""
    (tmp_path / "testing" / "__pycache__").mkdir(parents=True)
    script = f"""if True:
        import warnings
        warnings.simplefilter("ignore", DeprecationWarning)
        import jugcore
        jugcore.__path__.insert(0, {str(tmp_path)!r})
        import jugcore.testing
        print(jugcore.testing.__name__, hasattr(jugcore.testing, "StoreContract"))
    """
    assert _python(script) == "pytest_jug True\n"
