"""Every plugin of this repository uses other distributions only through what
they document: from jugcore, ``jugcore.api`` (and the ``jug`` face); from
another plugin, the names in its package's ``__all__``.  No module of another
distribution, no underscored name, and no underscored attribute of a base
class from another distribution (read, written or overridden).

Read from the source (AST), so a plugin is checked without being run.  Tests
of the plugins are left out: they may look inside what they test.
"""
import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = {"jugcore": "jugcore.api", "jug": None}  # core package -> its one public module (None: all of it)


def plugin_packages():
    """{package name: its folder} of every plugin distribution here."""
    found = {}
    for dist in sorted([*ROOT.glob("plugins/*"), *ROOT.glob("examples/plugins/*")]):
        for init in dist.glob("*/__init__.py"):
            if init.parent.name != "tests":
                found[init.parent.name] = init.parent
    return found


PACKAGES = plugin_packages()
MODULES = sorted(path for folder in PACKAGES.values() for path in folder.rglob("*.py"))


def public_names(package):
    """What ``package`` (another distribution) lets others import."""
    if package in CORE:
        return set(importlib.import_module(CORE[package] or package).__dict__.get("__all__", ()))
    return set(importlib.import_module(package).__all__)


class Checker(ast.NodeVisitor):
    """Finds the uses of other distributions' private names in one module of ``own``."""

    def __init__(self, own, where):
        self.own, self.where = own, where
        self.found = []
        self.imported = {}  # local name -> (module, attribute or None) from another distribution

    def complain(self, node, text):
        self.found.append(f"{self.where}:{node.lineno}: {text}")

    def foreign(self, module):
        top = module.split(".")[0]
        return top != self.own and (top in PACKAGES or top in CORE)

    def visit_Import(self, node):
        for alias in node.names:
            if self.foreign(alias.name):
                self.check_module(node, alias.name)
                # `import a.b` binds a; `import a.b as c` binds c to a.b
                self.imported[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0], None)

    def visit_ImportFrom(self, node):
        if node.level or not self.foreign(node.module):
            return
        self.check_module(node, node.module)
        top = node.module.split(".")[0]
        for alias in node.names:
            if node.module == top and top in CORE and alias.name == CORE[top].split(".")[1]:
                self.imported[alias.asname or alias.name] = (CORE[top], None)  # from jugcore import api
                continue
            self.check_name(node, node.module, alias.name)
            self.imported[alias.asname or alias.name] = (node.module, alias.name)

    def check_module(self, node, module):
        top = module.split(".")[0]
        allowed = {top} if top not in CORE else {top, CORE[top] or top}
        if module not in allowed and not (top in CORE and CORE[top] is None):
            public = CORE[top] if top in CORE else top
            self.complain(node, f"imports {module}, private to its distribution (use {public})")

    def check_name(self, node, module, name):
        top = module.split(".")[0]
        if top in CORE and CORE[top] is None:
            return
        if name.startswith("_") or name not in public_names(top):
            self.complain(node, f"uses {module}.{name}, not in {CORE.get(top) or top}.__all__")

    def module_of(self, node):
        """The module of another distribution that the expression ``node`` names, or None."""
        if isinstance(node, ast.Name) and self.imported.get(node.id, (None, ""))[1] is None:
            return self.imported[node.id][0]
        if isinstance(node, ast.Attribute):
            outer = self.module_of(node.value)
            return outer and f"{outer}.{node.attr}"
        return None

    def visit_Attribute(self, node):
        module = self.module_of(node.value)
        top = module and module.split(".")[0]
        if module == top and top in CORE and CORE[top]:
            if f"{top}.{node.attr}" != CORE[top]:
                self.complain(node, f"uses {top}.{node.attr}, private to its distribution (use {CORE[top]})")
        elif module and module in (top, CORE.get(top)):
            self.check_name(node, module, node.attr)
        self.generic_visit(node)

    def base_class(self, node):
        """The class a base expression names, if it comes from another distribution."""
        if isinstance(node, ast.Name) and node.id in self.imported:
            module, attribute = self.imported[node.id]
            return getattr(importlib.import_module(module), attribute) if attribute else None
        if isinstance(node, ast.Attribute) and self.module_of(node.value):
            return getattr(importlib.import_module(self.module_of(node.value)), node.attr, None)
        return None

    def visit_ClassDef(self, node):
        private = set()
        for base in filter(inspect.isclass, map(self.base_class, node.bases)):
            private |= private_attributes(base)
        if private:
            for item in ast.walk(node):
                name = _own_attribute(item)
                if name in private:
                    self.complain(item, f"class {node.name} uses {name} of its base from another distribution")
        self.generic_visit(node)


def _own_attribute(node):
    """The name defined, or read or written on ``self`` / ``super()``, by ``node``."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.name
    if isinstance(node, ast.Attribute):
        value = node.value
        if isinstance(value, ast.Name) and value.id in ("self", "cls"):
            return node.attr
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super":
            return node.attr
    return None


def private_attributes(cls):
    """The underscored (not dunder) names of ``cls`` and its bases: methods, slots,
    and attributes their methods set on ``self``."""
    names = set()
    for klass in inspect.getmro(cls):
        if klass is object:
            continue
        names.update(vars(klass))
        names.update(getattr(klass, "__slots__", ()))
        try:
            tree = ast.parse(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        names.update(_own_attribute(n) for n in ast.walk(tree) if isinstance(n, ast.Attribute))
    return {n for n in names if n and n.startswith("_") and not n.endswith("__")}


def problems(path, own):
    checker = Checker(own, path)
    checker.visit(ast.parse(Path(path).read_text(), str(path)))
    return checker.found


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_plugin_uses_only_public_names_of_other_distributions(path):
    own = next(name for name, folder in PACKAGES.items() if folder in path.parents)
    assert problems(path, own) == []


def test_every_plugin_package_declares_what_it_offers():
    for name in PACKAGES:
        assert isinstance(importlib.import_module(name).__dict__.get("__all__"), list), name


# --- the checker finds what it should ------------------------------------------------------
KEEPALIVE_AS_IT_WAS = '''
from jug_file import owner
from jug_file.lock import FileLock, read_with_mtime
from jug_file.store import FileStore
from jugcore.stores.contract import Store
from jugcore import api, errors
import jugcore.leaseclock


class KeepaliveStore(FileStore):
    def getlock(self, key):
        return FileLock(self._temp_dir, key)

    def _write(self, final, data, place):
        return super()._write(final, data, place)


def age():
    return api._HOMES, jugcore.leaseclock.lease_clock()


class Lock(api.Lock):
    def _private(self):
        return self._abc_impl
'''


def test_checker_finds_private_imports_and_attributes(tmp_path):
    path = tmp_path / "store.py"
    path.write_text(KEEPALIVE_AS_IT_WAS)
    found = "\n".join(problems(path, "jug_keepalive"))
    for expected in (":2: uses jug_file.owner, not in jug_file.__all__",
                     ":3: imports jug_file.lock, private", ":4: imports jug_file.store, private",
                     ":5: imports jugcore.stores.contract, private", ":6: uses jugcore.errors, not in jugcore.api",
                     ":7: imports jugcore.leaseclock, private",
                     ":12: class KeepaliveStore uses _temp_dir", ":14: class KeepaliveStore uses _write",
                     ":15: class KeepaliveStore uses _write", ":19: uses jugcore.api._HOMES",
                     ":19: uses jugcore.leaseclock", ":24: class Lock uses _abc_impl"):
        assert expected in found, found


def test_checker_accepts_public_names_and_its_own_package(tmp_path):
    path = tmp_path / "store.py"
    path.write_text("import jug\nfrom jug.task import Task\nfrom jugcore import api\nimport jugcore.api\n"
                    "from jugcore.api import Store\nfrom jug_file import FileStore\nfrom . import x\n"
                    "from jug_keepalive.lease import _seconds\n\n"
                    "class S(FileStore):\n    def commit_result(self, key, temp, final):\n"
                    "        self._mine = api.Store, jugcore.api.LockInfo\n")
    assert problems(path, "jug_keepalive") == []
