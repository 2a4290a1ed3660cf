"""Shell completion for `jug`, through click's own protocol (``_JUG_COMPLETE``):
the script `jug --print-completion SHELL` prints, and what completes a
jugfile's path and a task name after ``--name``.

Task names are read from the jugfile's source (its syntax tree), never by
importing it: completing must stay instant and must not run the user's code.
"""
import os

import click

__all__ = ["SHELLS", "print_completion", "complete_jugfile", "complete_task_name"]

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_JUG_COMPLETE"
_TASK_MAKERS = {"TaskGenerator", "Task", "CachedFunction"}  # callables whose first argument names the task


def print_completion(ctx, param, shell):
    """Eager callback of ``--print-completion``: print the script for ``shell`` and exit."""
    if shell is None or ctx.resilient_parsing:
        return
    from click.shell_completion import get_completion_class

    script = get_completion_class(shell)(ctx.find_root().command, {}, "jug", COMPLETE_VAR).source()
    click.echo(script)
    ctx.exit()


def complete_jugfile(ctx, param, incomplete):
    """Python files that start with ``incomplete``; the shell adds folders when none do."""
    from click.shell_completion import CompletionItem

    folder, start = os.path.split(incomplete)
    listed = os.path.expanduser(folder or ".")
    try:
        names = sorted(os.listdir(listed))
    except OSError:
        names = []
    files = [os.path.join(folder, name) for name in names
             if name.startswith(start) and name.endswith(".py") and os.path.isfile(os.path.join(listed, name))]
    return [CompletionItem(incomplete, type="dir")] + [CompletionItem(path) for path in files]


def complete_task_name(ctx, param, incomplete):
    """Task names of the jugfile on the command line so far: ``module.function``,
    and the bare function name (``--name`` accepts the tail) while no dot is typed."""
    jugfile = _jugfile_typed(ctx)
    try:
        with open(jugfile, "rb") as f:
            source = f.read()
    except OSError:
        return []
    names = task_names(source, os.path.splitext(os.path.basename(jugfile))[0])
    tails = [] if "." in incomplete else [name.rsplit(".", 1)[-1] for name in names]
    return [name for name in dict.fromkeys(names + tails) if name.startswith(incomplete)]


def _jugfile_typed(ctx):
    """The jugfile on the command line.  Before an option still missing its value
    click leaves the words unparsed, in ``ctx.args``: the jugfile is the .py one."""
    typed = [word for word in ctx.args if word.endswith(".py")]
    return typed[0] if typed else ctx.params.get("jugfile") or "jugfile.py"


def task_names(source, module):
    """The names of the tasks ``source`` (a jugfile named ``module``) defines, as
    far as its text shows: functions decorated with ``TaskGenerator`` and the
    functions passed to ``TaskGenerator(f)`` / ``Task(f, ...)``."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    origins = _imported_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                _is_task_maker(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list):
            found.append(f"{module}.{node.name}")
        elif isinstance(node, ast.Call) and _is_task_maker(node.func) and node.args:
            name = _dotted(node.args[0])
            if name:
                head, _, rest = name.partition(".")
                found.append(origins.get(head, f"{module}.{head}") + (f".{rest}" if rest else ""))
    return sorted(set(found))


def _imported_names(tree):
    """{name bound by an import: what it names} (``from a.b import f`` gives f -> a.b.f)."""
    import ast

    origins = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            origins.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
        elif isinstance(node, ast.Import):
            origins.update({a.asname or a.name.split(".")[0]: a.name if a.asname else a.name.split(".")[0]
                            for a in node.names})
    return origins


def _is_task_maker(node):
    name = _dotted(node)
    return bool(name) and name.rsplit(".", 1)[-1] in _TASK_MAKERS


def _dotted(node):
    """``a.b.c`` for a name or attribute chain, else None."""
    import ast

    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])
