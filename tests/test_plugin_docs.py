"""The plugin guides in docs/plugins are true: their links lead somewhere, the
subcommand guide's code runs as a plugin, and the store guide quotes the worked
example as it is."""
import os
import re
import sys
from pathlib import Path

import pytest

from pytest_jug import make_distribution, sample_jugfile

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "plugins"
EXAMPLE = ROOT / "examples" / "plugins" / "jug_sqlite"
PAGES = sorted(DOCS.glob("*.md")) + sorted((ROOT / "docs").glob("*.md")) + [EXAMPLE / "README.md", ROOT / "README.md", ROOT / "SECURITY.md",
                                     ROOT / "plugins" / "pytest_jug" / "README.md"]


def _code_blocks(page):
    """{first-line path comment: code} of the fenced blocks that start with '# some/file'."""
    blocks = re.findall(r"^```(?:python|toml)\n# (\S+)\n(.*?)^```$", page.read_text(), re.M | re.S)
    return {path: code for path, code in blocks}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_to_files(page):
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text()):
        if "://" not in target:
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to a missing {target}"


@pytest.mark.parametrize("path", ["jug_sqlite/hooks.py", "tests/test_sqlite_contract.py"])
def test_store_guide_quotes_the_example_as_it_is(path):
    quoted = _code_blocks(DOCS / "writing-a-store-plugin.md")[path]
    actual = (EXAMPLE / path).read_text()
    assert quoted in actual, f"the guide's {path} differs from {EXAMPLE.relative_to(ROOT) / path}"


@pytest.fixture
def tally_plugin(tmp_path):
    """The subcommand guide's plugin, installed (as a fake distribution) from its code blocks."""
    blocks = _code_blocks(DOCS / "writing-a-subcommand-plugin.md")
    project = tomllib.loads(blocks["pyproject.toml"])["project"]
    site = tmp_path / "site"
    site.mkdir()
    modules = {path[:-3].replace("/", "."): code for path, code in blocks.items() if path.startswith("jug_tally/")}
    make_distribution(site, project["name"], project["version"], project["entry-points"]["jug"], modules)
    existing = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(site) + (os.pathsep + existing if existing else "")}


def test_subcommand_guide_plugin_runs(jug, jugfile, tally_plugin):
    folder = jugfile(sample_jugfile(n=3)).parent
    listing = jug("plugins", cwd=folder, env=tally_plugin)
    assert "jug-tally 0.1.0" in listing.stdout and "commands tally" in listing.stdout, listing
    assert jug("tally", "jugfile.py", cwd=folder, env=tally_plugin).stdout == "4\n"
    assert jug("tally", "jugfile.py", "--done", cwd=folder, env=tally_plugin).stdout == "0\n"
    assert jug("execute", "jugfile.py", cwd=folder, env=tally_plugin).returncode == 0
    run = jug("tally", "jugfile.py", "--done", cwd=folder, env=tally_plugin)
    assert run.stdout == "4\n" and run.stderr == "", run


def _table_names(page, pattern=r"^\| `(\w+)`"):
    return re.findall(pattern, page.read_text(), re.M)


def test_api_page_lists_exactly_jugcore_api():
    import jugcore.api

    listed = _table_names(DOCS / "api.md")
    assert sorted(listed) == sorted(set(listed)), "api.md lists a name twice"
    assert set(listed) == set(jugcore.api.__all__), (
        f"missing from api.md: {sorted(set(jugcore.api.__all__) - set(listed))}; "
        f"not in jugcore.api: {sorted(set(listed) - set(jugcore.api.__all__))}")
    for name in listed:
        getattr(jugcore.api, name)  # every name resolves


def test_store_guide_tables_are_the_store_and_lock_methods():
    from jugcore.api import Lock, Store

    methods = {name for cls in (Store, Lock) for name, member in vars(cls).items()
               if callable(member) and not name.startswith("_")}
    listed = set(_table_names(DOCS / "writing-a-store-plugin.md", r"^\| `(\w+)\("))
    assert methods - listed == set(), "Store/Lock methods the store guide's tables leave out"
    assert listed - methods == set(), "the store guide's tables name methods Store and Lock do not have"


def test_plugin_index_links_every_guide():
    index = (DOCS / "README.md").read_text()
    for page in DOCS.glob("*.md"):
        assert page.name == "README.md" or f"({page.name})" in index, f"docs/plugins/README.md does not link {page.name}"
