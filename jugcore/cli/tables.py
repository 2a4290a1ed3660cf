"""The per-task-name tables `jug execute` and `jug status` print (Jug 2's layout)."""
import click

__all__ = ["format_table", "print_table", "print_task_summary_table", "get_terminal_size"]

_RULE = "-" * 80
_DOTTED = "." * 80


def format_table(columns, total_label="Total"):
    """``columns``: [(title, {task name: count})].  Right-aligned counts, then
    the name; one row per name (sorted), then a total row."""
    names = sorted(set().union(*(counts.keys() for _, counts in columns)))
    header = "".join(f"{title:>12}" for title, _ in columns) + "  Task name"
    lines = [header, _RULE]
    for name in names:
        lines.append("".join(f"{counts.get(name, 0):>12}" for _, counts in columns) + f"  {name}")
    lines.append(_DOTTED)
    lines.append("".join(f"{sum(counts.values()):>12}" for _, counts in columns) + f"  {total_label}")
    return "\n".join(lines) + "\n"


def print_table(columns, total_label="Total"):
    click.echo(format_table(columns, total_label))


def print_task_summary_table(options, groups):
    """Jug 2.7's ``jug.io.print_task_summary_table``: ``groups`` as in
    :func:`format_table`, printed with ``options.print_out`` (default ``print``),
    as one line per group if ``options.short``; otherwise a table as wide as the
    terminal (``COLUMNS``), long names wrapped."""
    print_out = getattr(options, "print_out", print)
    if getattr(options, "short", False):
        for title, counts in groups:
            print_out(f"{title}:  {sum(counts.values())} tasks")
        print_out(f"** Total: {sum(sum(counts.values()) for _, counts in groups)} tasks.")
        return
    import textwrap  # jug.io's table only: not worth every command's start

    name_width = get_terminal_size()[0] - 12 * len(groups) - 2
    if name_width <= 8:
        name_width = 12

    def line(cells, name):
        return "".join(f"{cell!s:>12}" for cell in cells) + f"  {name!s:<{name_width}}"

    width = 12 * len(groups) + 2 + name_width
    print_out(line([title for title, _ in groups], "Task name"))
    print_out("-" * width)
    for name in sorted(set().union(*(counts.keys() for _, counts in groups))):
        first, *rest = textwrap.wrap(name, width=name_width - 4) or [""]
        print_out(line([counts.get(name, 0) for _, counts in groups], first))
        for more in rest:
            print_out(line([""] * len(groups), "    " + more))
    print_out("." * width)
    print_out(line([sum(counts.values()) for _, counts in groups], "Total"))
    print_out()


def get_terminal_size():
    """(columns, lines) of the terminal; ``COLUMNS``/``LINES`` first, (80, 25) if unknown."""
    import shutil  # with bz2 and lzma: not worth every command's start

    return tuple(shutil.get_terminal_size((80, 25)))
