"""jugcore.plugins.hookspecs and docs/plugins/hooks.md are the reference for plugin
authors: every hook says when it is called and what each of its parameters is,
is documented with its exact signature, and has a test."""
import inspect
import re
from pathlib import Path

import pytest

from jugcore.plugins import hookspecs

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
HOOKS_DOC = ROOT / "docs" / "plugins" / "hooks.md"
TEST_FOLDERS = [ROOT / "tests", ROOT / "plugins", ROOT / "examples" / "plugins"]


def _hookspecs():
    return sorted(
        (name, f) for name, f in vars(hookspecs).items()
        if callable(f) and hasattr(f, "jug_spec")
    )


HOOKS = _hookspecs()
HOOK_NAMES = [name for name, _ in HOOKS]


def test_there_are_hooks():
    assert {"jug_store_backends", "jug_register_commands", "jug_hash_object", "jug_should_stop"} <= set(HOOK_NAMES)
    assert all(name.startswith("jug_") for name in HOOK_NAMES)


@pytest.mark.parametrize("name, spec", HOOKS, ids=HOOK_NAMES)
def test_hook_docstring_says_when_it_is_called(name, spec):
    doc = inspect.getdoc(spec)
    assert doc and len(doc.split()) >= 5, f"{name} has no real docstring"
    assert re.search(r"\bcalled\b", doc, re.I), (
        f"{name}'s docstring does not say when it is called (no 'Called ...' sentence):\n{doc}"
    )


@pytest.mark.parametrize("name, spec", HOOKS, ids=HOOK_NAMES)
def test_hook_docstring_documents_every_parameter(name, spec):
    doc = inspect.getdoc(spec) or ""
    for argname in inspect.signature(spec).parameters:
        assert re.search(rf"\b{re.escape(argname)}\b", doc), f"{name}'s docstring never mentions `{argname}`"


@pytest.mark.parametrize("name, spec", HOOKS, ids=HOOK_NAMES)
def test_hook_return_value_is_documented_where_it_is_used(name, spec):
    """Hooks whose results the core reads (firstresult, or collected) say what to return."""
    doc = inspect.getdoc(spec) or ""
    if spec.jug_spec.get("firstresult") or name in ("jug_store_backends",):
        assert ":return:" in doc, f"{name} does not document its return value"


def _other_test_files():
    return [p for folder in TEST_FOLDERS for p in folder.rglob("test_*.py")
            if p.resolve() != Path(__file__).resolve()]


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_every_hook_is_named_in_another_test_file(name):
    files = [p for p in _other_test_files() if re.search(rf"\b{name}\b", p.read_text())]
    assert files, f"no test file other than {Path(__file__).name} mentions {name}"


def _documented_signatures():
    return re.findall(r"^### `(jug_\w+\(.*\))`$", HOOKS_DOC.read_text(), re.M)


@pytest.mark.parametrize("name, spec", HOOKS, ids=HOOK_NAMES)
def test_every_hook_is_documented_with_its_signature(name, spec):
    signature = f"{name}{inspect.signature(spec)}"
    documented = [s for s in _documented_signatures() if s.startswith(f"{name}(")]
    assert documented, f"{HOOKS_DOC.relative_to(ROOT)} has no section '### `{signature}`'"
    assert documented == [signature], f"{HOOKS_DOC.relative_to(ROOT)} documents {documented}, the spec is {signature}"


def test_hooks_doc_lists_only_real_hooks():
    stale = [s for s in _documented_signatures() if s.split("(")[0] not in HOOK_NAMES]
    assert not stale, f"{HOOKS_DOC.relative_to(ROOT)} documents hooks that do not exist: {stale}"
