"""pytest-jug as a plugin author meets it: a fresh pytest session, in a folder
with no conftest.py, has its fixtures, and the store contract's test ids are
short names."""
import re
from pathlib import Path

AUTHOR_TESTS = '''
from pytest_jug import sample_jugfile


def test_jug_and_background_run_a_jugfile(jug, jugfile, background):
    folder = jugfile(sample_jugfile(n=2)).parent
    assert jug("execute", "jugfile.py", cwd=folder).returncode == 0
    status = background("status", "status", "jugfile.py", cwd=folder)
    assert status.wait(60) == 0, status


def test_site_is_on_the_child_path(site):
    root, env = site
    assert root.is_dir() and env["PYTHONPATH"].split(":")[0] == str(root)


def test_the_user_jugrc_is_not_read():
    from jugcore.config import sources

    assert sources.user_file() is None
'''


def test_fixtures_need_no_conftest(pytester, monkeypatch):
    user_config = pytester.path / "config"
    (user_config / "jug").mkdir(parents=True)
    (user_config / "jug" / "jugrc").write_text("[main]\njugdir = elsewhere\n")  # what no_user_jugrc hides
    monkeypatch.setenv("XDG_CONFIG_HOME", str(user_config))
    pytester.makepyfile(test_author=AUTHOR_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    # Blocked by its entry-point name, the plugin takes its fixtures with it (and
    # the user's jugrc is read): they came from the entry point, not from elsewhere.
    without = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:jug")
    without.assert_outcomes(failed=1, errors=2)
    assert "fixture 'jug' not found" in without.stdout.str()


def test_contract_test_ids_are_short_names(pytester):
    """Collected as `pytest -v` lists them, in the dict store's own contract test."""
    dict_store_tests = Path(__file__).parents[2] / "jug_dictstore" / "tests" / "test_dict_store_contract.py"
    pytester.makepyfile(test_contract=dict_store_tests.read_text())
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider")
    ids = [line for line in result.outlines if line.startswith("test_contract.py::")]
    assert "test_contract.py::TestInMemoryDictStoreContract::test_round_trip[nested-dict]" in ids, result.outlines
    parameters = [re.search(r"\[(.*)\]$", i).group(1) for i in ids if i.endswith("]")]
    assert len(parameters) > 60
    assert [p for p in parameters if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,19}", p)] == []
