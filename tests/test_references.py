"""Every file the code and the docs point to is in the repository: paths such
as `docs/formats.md` or `jugcore/run/worker.py` named in a docstring, a
comment or a page resolve, and nothing points outside (to a design note that
only some machines have)."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Paths into the folders whose files move (guides also name files of imaginary
# third-party plugins, `tests/test_tally.py`, which are not checked).
PATH = re.compile(r"(?<![\w/.-])((?:docs|jugcore)/[\w./-]*[\w-]\.(?:py|md))")
SHORT = re.compile(r"`((?:run|cli|stores|model|formats|plugins|config|builtin)/[\w/]+\.py)`")


def _tracked():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / name for name in listed.split() if name.endswith((".py", ".md", ".toml", ".sh"))]


def test_named_paths_exist():
    missing = []
    for path in _tracked():
        text = path.read_text(errors="replace")
        for target in PATH.findall(text):
            if not (ROOT / target).exists() and not (path.parent / target).exists():
                missing.append(f"{path.relative_to(ROOT)} names {target}")
    assert missing == []


def test_the_architecture_page_names_modules_that_exist():
    page = (ROOT / "docs" / "architecture.md").read_text()
    missing = [name for name in SHORT.findall(page) if not (ROOT / "jugcore" / name).exists()]
    assert missing == []


def test_nothing_points_outside_the_repository():
    outside = [str(p.relative_to(ROOT)) for p in _tracked() if "../shared/" in p.read_text(errors="replace")
               and p.name != "test_references.py"]
    assert outside == []
