"""Showing objects under the module paths Jug 2.7 gives them.

A task's name is ``f"{f.__module__}.{f.__name__}"`` and functions pickle by
module path, and both go into task keys: a helper Jug 2.7 defines in
``jug.mapreduce`` must claim that module here too, or our keys differ.
The ``jug`` package re-exports each one under that path, so it also pickles
and unpickles by that path.
"""
__all__ = ["present_as"]


def present_as(module_name, *objects):
    """Set ``__module__`` of each object to ``module_name``; returns nothing."""
    for obj in objects:
        obj.__module__ = module_name
