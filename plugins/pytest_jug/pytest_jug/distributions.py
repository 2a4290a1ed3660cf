"""Fake installed distributions, for testing plugin discovery with a real `jug`.

A folder with ``NAME-VERSION.dist-info`` (METADATA and entry_points.txt) and
the plugin's modules, put on ``PYTHONPATH``, is what ``importlib.metadata``
and so `jug` see as an installed distribution: no pip, no build, no venv.
"""
import os
import textwrap

__all__ = ["make_distribution", "pythonpath_environ"]


def make_distribution(root, dist, version, entry_points, modules):
    """A fake installed distribution in ``root``: ``entry_points`` maps entry-point
    names (group ``jug``) to module names; ``modules`` maps module names (dotted
    names make packages) to source."""
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = ["[jug]"] + [f"{name} = {module}" for name, module in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    for module, source in modules.items():
        *packages, name = module.split(".")
        folder = root
        for package in packages:
            folder = folder / package
            folder.mkdir(exist_ok=True)
            (folder / "__init__.py").touch()
        (folder / f"{name}.py").write_text(textwrap.dedent(source))
    return root


def pythonpath_environ(root):
    """The environment additions that put ``root`` first on a child `jug`'s sys.path."""
    existing = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(root) + (os.pathsep + existing if existing else ""), "JUG_NO_PROGRESS": "1"}
