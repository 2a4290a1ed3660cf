"""`jug graph`: the DOT file (names, edges, state counts as Jug 2.7 counts them),
rendered by Graphviz's real `dot`, and a hint when `dot` is not installed."""
import re
import shutil

import pytest

from pytest_jug import IN_CI

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def pair(i):
    return (i, i + 1)

@TaskGenerator
def first(x):
    return x

@TaskGenerator
def total(xs):
    return sum(xs)

@TaskGenerator
def boom(x):
    raise ValueError("deliberate")

@TaskGenerator
def after(x):
    return x

ps = [pair(i) for i in range(3)]
fs = [first(p[0]) for p in ps]   # through a Tasklet: the edge is pair -> first
t = total(fs)
a = after(boom(t))
"""

EDGES = {("jf.pair", "jf.first"), ("jf.first", "jf.total"), ("jf.total", "jf.boom"), ("jf.boom", "jf.after")}


def parse_dot(text):
    """({node name: {state initial: count}}, {(from, to)}) from our DOT or Jug 2.7's."""
    nodes = {}
    for line in text.splitlines():
        m = re.match(r'\s*"([^"]+)"\s*\[label=(.*)', line)
        if m:
            nodes[m.group(1)] = {s: int(n) for n, s in re.findall(r"<b>(\d+)([FWRAC])</b>", m.group(2))}
    edges = set(re.findall(r'"([^"]+)"\s*->\s*"([^"]+)"', text))
    return nodes, edges


def graph_of(jug, tmp_path, *args, exe=None, env=None):
    run = jug("graph", "jf.py", *args, cwd=tmp_path, jug=exe, env=env)
    return run, parse_dot((tmp_path / "jf.dot").read_text())


@pytest.fixture
def dot():
    path = shutil.which("dot")
    if path is None:
        if IN_CI:
            pytest.fail("Graphviz's dot is not installed (scripts/test.sh installs it)")
        pytest.skip("Graphviz's dot is not installed")
    return path


@pytest.fixture
def no_dot(tmp_path):
    """A PATH without `dot` (our `jug` runs by absolute path, its python by its shebang)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    return {"PATH": str(empty)}


def test_graph_names_edges_and_counts_match_jug27_at_each_stage(jug, jugfile, tmp_path, jug27, no_dot):
    jugfile(JUGFILE, name="jf.py")
    fresh = {"jf.pair": {"R": 3}, "jf.first": {"W": 3}, "jf.total": {"W": 1}, "jf.boom": {"W": 1},
             "jf.after": {"W": 1}}
    failed = {"jf.pair": {"C": 3}, "jf.first": {"C": 3}, "jf.total": {"C": 1}, "jf.boom": {"F": 1},
              "jf.after": {"W": 1}}
    for expected in (fresh, failed):
        if expected is failed:
            assert jug("execute", "jf.py", "--keep-failed", cwd=tmp_path).returncode == 1
        _, (their_nodes, their_edges) = graph_of(jug, tmp_path, exe=jug27, env=no_dot)
        run, (nodes, edges) = graph_of(jug, tmp_path, env=no_dot)
        assert run.returncode == 0, run
        want = {name: {s: counts.get(s, 0) for s in "FWRAC"} for name, counts in expected.items()}
        assert nodes == want == their_nodes
        assert edges == EDGES == their_edges


def test_graph_no_status_has_names_and_edges_only(jug, jugfile, tmp_path, no_dot):
    jugfile(JUGFILE, name="jf.py")
    run, (nodes, edges) = graph_of(jug, tmp_path, "--no-status", env=no_dot)
    assert run.returncode == 0, run
    assert nodes == {name: {} for name in ("jf.pair", "jf.first", "jf.total", "jf.boom", "jf.after")}
    assert edges == EDGES
    assert not (tmp_path / "jf.jugdata").exists()


def test_graph_without_graphviz_writes_the_dot_file_and_says_how_to_render_it(jug, jugfile, tmp_path, no_dot):
    jugfile(JUGFILE, name="jf.py")
    run, (nodes, _) = graph_of(jug, tmp_path, env=no_dot)
    assert run.returncode == 0, run  # the DOT file is the product; rendering is a bonus (as in Jug 2.7)
    assert len(nodes) == 5
    assert "Graphviz" in run.stderr and "install graphviz" in run.stderr
    assert "dot -Tpng jf.dot -o jf.png" in run.stderr, run
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("jf.")) == ["jf.dot", "jf.py"]


def test_graph_renders_with_real_dot(jug, jugfile, tmp_path, dot):
    jugfile(JUGFILE, name="jf.py")
    run = jug("graph", "jf.py", cwd=tmp_path)
    assert run.returncode == 0, run
    assert (tmp_path / "jf.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "jf.png" in run.stdout
    svg = jug("graph", "jf.py", "--file-format", "svg", cwd=tmp_path)
    assert svg.returncode == 0, svg
    text = (tmp_path / "jf.svg").read_text()
    assert "<svg" in text and "jf.total" in text and "3R" in text  # labels reach the picture


def test_graph_a_format_dot_refuses_is_one_error_and_leaves_no_file(jug, jugfile, tmp_path, dot):
    jugfile(JUGFILE, name="jf.py")
    run = jug("graph", "jf.py", "--file-format", "nonsense", cwd=tmp_path)
    assert run.returncode == 1, run
    assert run.stderr.startswith("jug: error: `dot` could not render jf.dot as nonsense"), run
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("jf.")) == ["jf.dot", "jf.py"]


def test_graph_escapes_names_dot_would_misread(jug, jugfile, tmp_path, dot):
    # A jugfile named with characters that are special in DOT and in HTML labels.
    jugfile('from jug import TaskGenerator\n\n@TaskGenerator\ndef f(x):\n    return x\n\ny = f(f(1))\n',
            name='a&b"c.py')
    run = jug("graph", 'a&b"c.py', "--file-format", "svg", cwd=tmp_path)
    assert run.returncode == 0, run
    assert "a&amp;b&quot;c.f" in (tmp_path / 'a&b"c.svg').read_text()
