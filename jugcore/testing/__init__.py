"""Helpers for testing jug, and jug plugins, with real `jug` processes.

:mod:`jugcore.testing.processes` (re-exported here) runs the `jug` command
line and reads what it left; :mod:`jugcore.testing.fixtures` offers the same
as pytest fixtures, to import into a ``conftest.py``;
:mod:`jugcore.testing.contract` is the store contract as a pytest suite that a
store plugin subclasses to test itself;
:func:`~jugcore.testing.distributions.make_distribution` fakes an installed
distribution, to test a plugin's discovery.  None is imported by jug itself.
"""
from jugcore.testing.processes import (
    IN_CI,
    JUG27_VENV,
    JUG_BIN,
    SYNC_PRELUDE,
    BackgroundJug,
    JugRun,
    bvalue_barrier_jugfile,
    ensure_jug27,
    gated_failure_jugfile,
    gated_jugfile,
    jug_environ,
    lock_files,
    must,
    one_winner_each,
    run_jug,
    sample_jugfile,
    summary_table,
    wait_until,
    with_sync,
)
from jugcore.testing.distributions import make_distribution, pythonpath_environ

__all__ = [
    "IN_CI", "JUG27_VENV", "JUG_BIN", "SYNC_PRELUDE", "BackgroundJug", "JugRun", "bvalue_barrier_jugfile",
    "ensure_jug27", "gated_failure_jugfile", "gated_jugfile", "jug_environ", "lock_files", "make_distribution",
    "must", "one_winner_each", "pythonpath_environ", "run_jug", "sample_jugfile", "summary_table", "wait_until",
    "with_sync",
]
