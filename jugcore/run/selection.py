"""Choosing tasks by name, with Jug 2.7's rules.

--name NAME   the whole task name, or its tail after a dot (``func`` matches
              ``mod.func``, not ``mod.func_other``); ``*`` and ``?`` are wildcards.
--pattern P   a substring of the name, or ``/regex/`` searched in it.
"""
import fnmatch
import re

from jugcore.errors import JugError

__all__ = ["name_matcher", "pattern_matcher", "make_selector"]


def name_matcher(name):
    regex = re.compile(fnmatch.translate(name))

    def matches(task_name):
        start = 0
        while True:
            if regex.match(task_name, start):
                return True
            start = task_name.find(".", start) + 1
            if start == 0:
                return False

    return matches


def pattern_matcher(pattern):
    if pattern in ("", "//"):
        raise JugError("an empty --pattern would select every task (is a shell variable unset?)", exit_code=2)
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        try:
            regex = re.compile(pattern[1:-1])
        except re.error as e:
            raise JugError(f"--pattern {pattern} is not a valid regular expression: {e}", exit_code=2) from None
        return lambda task_name: regex.search(task_name) is not None
    return lambda task_name: pattern in task_name


def make_selector(name=None, pattern=None):
    """A predicate on task names, or None when nothing restricts the selection."""
    matchers = []
    if name is not None:
        matchers.append(name_matcher(name))
    if pattern is not None:
        matchers.append(pattern_matcher(pattern))
    if not matchers:
        return None
    if len(matchers) == 1:
        return matchers[0]
    return lambda task_name: all(m(task_name) for m in matchers)
