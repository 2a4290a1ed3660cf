"""Imports inside jugcore go one way: from a layer to the layers below it,
never up (docs/architecture.md draws the layers).  A module that needs
something from above takes it as an argument instead (the app object, a hook
caller, settings).  Function-level imports count too: a cycle hidden in a
function is still a cycle."""
import ast
from pathlib import Path

JUGCORE = Path(__file__).resolve().parent.parent / "jugcore"

# Lowest first.  A module may import its own layer and any layer before it.
LAYERS = ["foundation", "config", "plugins", "formats", "model", "stores", "run", "app", "face", "builtin", "cli",
          "entry"]
FOUNDATION = {"errors", "redact", "host", "temp_files", "leaseclock", "logs", "markers", "dirs", "owners", "lazy", "__version__",
              "JUG_COMPATIBLE_VERSION"}
ENTRY = {"api", "old_paths", "__main__"}  # and the package itself: what the outside imports

# Upward imports kept on purpose, each for callers written before the app object.
COMPAT = {
    ("jugcore.stores.contract", "jugcore.app"): "open_store(pm, jugdir) without settings reads them as `jug` would",
    ("jugcore.config", "jugcore.app"): "jugcore.config.get_setting, the documented name before jugcore.api",
}


def layer_of(module):
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ENTRY:
        return "entry"
    return "foundation" if parts[1] in FOUNDATION else parts[1]


def imports(path):
    module = ".".join(path.relative_to(JUGCORE.parent).with_suffix("").parts).removesuffix(".__init__")
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"jugcore.{a.name}" for a in node.names] if node.module == "jugcore" else [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] == "jugcore":
                yield module, name, node.lineno


def test_every_package_is_a_known_layer():
    packages = {p.name for p in JUGCORE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    modules = {p.stem for p in JUGCORE.glob("*.py")} - {"__init__"}
    assert packages | modules <= set(LAYERS) | FOUNDATION | ENTRY, "a new package needs a place in LAYERS"


def test_imports_go_down_the_layers():
    upward = []
    for path in sorted(JUGCORE.rglob("*.py")):
        for module, target, line in imports(path):
            source, destination = layer_of(module), layer_of(target)
            if LAYERS.index(destination) > LAYERS.index(source) and (module, target) not in COMPAT:
                upward.append(f"{module}:{line} ({source}) imports {target} ({destination})")
    assert upward == []


def test_the_compat_exceptions_still_exist():
    found = {(module, target) for path in JUGCORE.rglob("*.py") for module, target, _ in imports(path)}
    assert set(COMPAT) <= found, "an exception no longer needed: remove it from COMPAT"
