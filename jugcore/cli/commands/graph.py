"""`jug graph`: the task graph as a DOT file, one node per task name, rendered
with Graphviz's `dot` when it is installed."""
import os

import click

from jugcore.cli.jugfile_command import BARRIER_NOTE, jugfile_command
from jugcore.errors import JugError
from jugcore.run.states import STATES, count_states
from jugcore.plugins import hookimpl
from jugcore.temp_files import replacing

# State initial and colour in a node's label, in the order `jug status` uses.
_STATE_STYLE = {
    "Failed": ("F", "#ff4080"),
    "Waiting": ("W", "#f98cb6"),
    "Ready": ("R", "#fca985"),
    "Complete": ("C", "#85ca5d"),
    "Active": ("A", "#7589bf"),
}


@jugfile_command("graph")
@click.option("--no-status", is_flag=True, help="Only names and edges (no state counts, no store queries).")
@click.option("--file-format", "file_format", default="png", show_default=True, metavar="FORMAT",
              help="What `dot` renders to (png, svg, pdf, ...: any -T format of Graphviz).")
def graph(ctx, no_status, file_format):
    """Draw the dependencies between the task names of JUGFILE: writes JUGFILE's
    name with .dot, and renders it with Graphviz's `dot` when installed."""
    _, at_barrier = ctx.import_jugfile()
    counts = None if no_status else count_states(ctx.tasks, ctx.store)
    stem = os.path.splitext(ctx.jugfile)[0]
    dot_path = stem + ".dot"
    with replacing(dot_path, "w") as f:
        f.write(dot_text(ctx.tasks, counts))
    rendered = render(dot_path, f"{stem}.{file_format}", file_format)
    click.echo(f"Wrote {dot_path}" + (f" and {rendered}." if rendered else "."))
    if at_barrier:
        click.echo(BARRIER_NOTE)


def dot_text(tasks, counts=None):
    """DOT source: a node per task name (with its state counts, from
    :func:`jugcore.run.states.count_states`, if given) and an edge from each
    name to the names that use its results."""
    names = list(dict.fromkeys(t.name for t in tasks))
    edges = sorted({(dep.name, t.name) for t in tasks for dep in t.dependencies()})
    lines = ["digraph jug {", "  node [shape=box];"]
    for name in names:
        lines.append(f"  {_quoted(name)} [label=<{_label(name, counts)}>];")
    lines.extend(f"  {_quoted(source)} -> {_quoted(target)};" for source, target in edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _escaped(name):
    import html  # here, not at start-up: every jug command imports this module

    return html.escape(name)


def _quoted(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(name, counts):
    if counts is None:
        return _escaped(name)
    cells = "".join(_cell(counts.by_state[state][name], *_STATE_STYLE[state]) for state in STATES)
    return (f"<table border='0' cellborder='0' cellpadding='0'><tr><td colspan='{len(STATES)}'>"
            f"{_escaped(name)}</td></tr><tr>{cells}</tr></table>")


def _cell(number, initial, colour):
    return f"<td><font color='{colour}'><b>{number}{initial}</b></font></td>"


def render(dot_path, out_path, file_format):
    """Render with `dot` into ``out_path``; the path, or None (with a hint on
    stderr) when Graphviz is not installed.  A failed render leaves no file."""
    import shutil  # 6 ms and 4 ms: only a render needs them
    import subprocess

    dot = shutil.which("dot")
    if dot is None:
        click.echo(f"jug: Graphviz's `dot` is not installed, so {dot_path} was not rendered. "
                   "Install Graphviz (apt-get install graphviz, brew install graphviz or "
                   f"conda install graphviz), then run: dot -T{file_format} {dot_path} -o {out_path}",
                   err=True)
        return None
    # `dot` writes to our temporary file (its stdout), not to a name it opens itself.
    with replacing(out_path) as output:
        done = subprocess.run([dot, f"-T{file_format}", dot_path], stdout=output, stderr=subprocess.PIPE)
        if done.returncode != 0:
            stderr = done.stderr.decode(errors="replace").strip()
            raise JugError(f"`dot` could not render {dot_path} as {file_format}: "
                           f"{stderr or f'exit status {done.returncode}'}")
    return out_path


@hookimpl
def jug_register_commands(cli):
    cli.add_command(graph)
