"""pytest-jug: test a jug plugin the way users meet it, with real `jug` processes
on real jugdirs, and test a store against the store contract.

Installing pytest-jug registers its fixtures with pytest (:mod:`pytest_jug.plugin`:
``jug``, ``jugfile``, ``background``, ``site``, ``redis_server``,
``new_redis_server``, ``slurm_cluster``, and the autouse ``no_user_jugrc``); the helpers are
imported from here:

The store contract
    :class:`StoreContract`: subclass it with a ``jugdir`` fixture to run every
    test a store must pass (:mod:`pytest_jug.contract`); :func:`key` makes a task
    key.  :class:`LeaseLossSuite`: for stores whose locks are leases, a worker
    that loses its lease mid-task (:mod:`pytest_jug.lease_loss`).
    :class:`StoreProcess`: the jugdir opened in another process, driven a command
    at a time (:mod:`pytest_jug.store_process`).
Running `jug` (:mod:`pytest_jug.processes`)
    :func:`run_jug` -> :class:`JugRun`; :class:`BackgroundJug`; :func:`jug_environ`;
    :data:`JUG_BIN`; :data:`IN_CI`; waiting with a deadline: :func:`wait_until`,
    :func:`must`; a server of the tests' own, or a skip (a failure under CI):
    :func:`started_or_skip`; reading what a run left: :func:`summary_table`,
    :func:`lock_files`, :func:`one_winner_each`.
Jugfiles (:mod:`pytest_jug.jugfiles`)
    :func:`sample_jugfile`, :func:`gated_jugfile`, :func:`gated_failure_jugfile`,
    :func:`bvalue_barrier_jugfile`; :func:`with_sync` and :data:`SYNC_PRELUDE`,
    for tasks that synchronise with the test through files.
Plugin discovery (:mod:`pytest_jug.distributions`)
    :func:`make_distribution` fakes an installed distribution;
    :func:`pythonpath_environ` puts it on a child `jug`'s path.
Memory (:mod:`pytest_jug.memory`)
    :func:`traced_peak`: the peak memory of a call (a big result loaded
    without copies).
Redis (:mod:`pytest_jug.redis_server`)
    :class:`RedisServer`, :class:`RedisUnavailable`, :func:`redis_server_or_skip`,
    :func:`find_redis_server`.
Slurm (:mod:`pytest_jug.slurm_cluster`)
    :class:`SlurmCluster` (a one-node cluster of munged, slurmctld and slurmd),
    :class:`SlurmUnavailable`, :func:`slurm_cluster_or_skip`.

Names load on first use: the store contract's child processes import this
package, and need neither pytest nor the contract.
"""
import importlib

_HOMES = {
    "processes": ("IN_CI", "JUG_BIN", "BackgroundJug", "JugRun", "jug_environ", "lock_files", "must",
                  "one_winner_each", "run_jug", "started_or_skip", "summary_table", "wait_until"),
    "jugfiles": ("SYNC_PRELUDE", "bvalue_barrier_jugfile", "gated_failure_jugfile", "gated_jugfile",
                 "sample_jugfile", "with_sync"),
    "distributions": ("make_distribution", "pythonpath_environ"),
    "contract": ("StoreContract", "key"),
    "lease_loss": ("LeaseLossSuite",),
    "store_process": ("StoreProcess",),
    "memory": ("traced_peak",),
    "redis_server": ("RedisServer", "RedisUnavailable", "find_redis_server", "redis_server_or_skip"),
    "slurm_cluster": ("SlurmCluster", "SlurmUnavailable", "slurm_cluster_or_skip"),
}
_MODULE_OF = {name: f"pytest_jug.{module}" for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name):
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'pytest_jug' has no attribute {name!r}")
    return getattr(importlib.import_module(_MODULE_OF[name]), name)


def __dir__():
    return __all__
