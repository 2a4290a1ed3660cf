"""The store contract as a pytest suite: what every jug store must do.

A store plugin runs it against itself by subclassing :class:`StoreContract`
in one of its test modules and saying which jugdir to open::

    import pytest
    from pytest_jug import StoreContract


    class TestMyStore(StoreContract):
        @pytest.fixture
        def jugdir(self, tmp_path):
            return f"mystore:{tmp_path}/run"

The store is opened the way `jug` opens it: the installed plugins, through
:func:`jugcore.api.open_store`, so the plugin must be installed (an
editable install will do).  Because a jugdir is a string, child processes
open the same store (:mod:`pytest_jug.store_process`) for the tests of
locks and writes across processes.

Parts a store legitimately lacks are skipped, with the reason shown, by
naming them in the class attribute ``unsupported`` ({part: reason}):

* ``"persistence"``: results and locks outlive ``close()`` (an in-memory store);
* ``"retry_failed"``: ``Lock.take_failed`` (a store that cannot do it atomically);
* ``"processes"``: several processes share the store, and so do two opens of it
  in one process and a forked child's own; skipped by itself when the backend
  declares ``shared_between_processes=False``;
* ``"dead_owners"``: a lock whose holder was killed is reported DEAD at once
  (and left out of ``lock_state_many``), and the next ``get()`` takes it over
  (stores whose locks lapse only after a lease, or never, lack it);
* ``"run_records"``: ``dump_recorded`` keeps a RunRecord that ``records_many``
  finds and removing the result removes (docs/plugins/run-records.md).

``large_object_bytes`` sets the size of the large result (64 MiB).
"""
from pytest_jug.contract.base import key
from pytest_jug.contract.lifecycle import LifecycleContract
from pytest_jug.contract.locks import LockContract
from pytest_jug.contract.processes import ProcessContract
from pytest_jug.contract.records import RecordContract
from pytest_jug.contract.results import ResultContract

__all__ = ["StoreContract", "key"]


class StoreContract(ResultContract, LockContract, ProcessContract, LifecycleContract, RecordContract):
    """Subclass it (name it ``Test...``) and provide the ``jugdir`` fixture."""
