"""What `jug execute` and `jug invalidate` say when --name or --pattern matches
no task: the option as typed, and the names it was probably meant to be."""

__all__ = ["no_match_message"]


def no_match_message(option, value, task_names):
    """"no task matches --name wrk; did you mean work?" (close names by difflib,
    else a few of the jugfile's names).  ``task_names``: every name the jugfile used."""
    names = sorted(set(task_names))
    if not names:
        return f"no task matches {option} {value}: the jugfile defines no tasks"
    close = _close_names(value, names)
    if close:
        return f"no task matches {option} {value}; did you mean {' or '.join(close)}?"
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"no task matches {option} {value}; the jugfile's task names are {shown}"


def _close_names(value, names):
    """Up to three names close to ``value``: tails (``work`` of ``jugfile.work``)
    when the user typed no dot, whole names otherwise."""
    import difflib  # 1 ms: only a selection that matched nothing needs it

    typed = value.strip("/")
    candidates = names if "." in typed else sorted({name.rpartition(".")[2] for name in names})
    return difflib.get_close_matches(typed, candidates, n=3, cutoff=0.6)
