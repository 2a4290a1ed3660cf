"""The per-task-name tables `jug execute` and `jug status` print (Jug 2's layout)."""
import click

__all__ = ["format_table", "print_table"]

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
