"""The store contract, run records: kept with their results, found in bulk,
removed with them (docs/plugins/run-records.md)."""
import os
import time

import pytest

from jugcore.api import HOSTNAME, RunRecord
from pytest_jug.contract.base import ContractFixtures, key

__all__ = ["RecordContract", "run_record"]


def run_record(name="mod.fit", code="py311-1:" + "ab" * 20, duration=1.25):
    """A record of a task that has just finished, as the scheduler makes them."""
    return RunRecord(name, HOSTNAME, os.getpid(), time.time() - duration, duration, 123 << 20, "9.9", code)


def assert_same_records(found, expected):
    """``found`` (from records_many) holds ``expected``'s records: a store may
    keep times to the microsecond (durations to the nanosecond)."""
    assert found.keys() == expected.keys()
    for k, record in expected.items():
        got = found[k]
        assert got._replace(started=0.0, duration=0.0) == record._replace(started=0.0, duration=0.0), (k, got)
        assert abs(got.started - record.started) <= 1e-6 and abs(got.duration - record.duration) <= 1e-9, (k, got)


class RecordContract(ContractFixtures):
    @pytest.fixture(autouse=True)
    def _records_part(self, request):
        if request.node.originalname.startswith("test_run_record"):
            self.require("run_records")

    def test_run_record_kept_with_the_result(self, store):
        record = run_record()
        store.dump_recorded(key(0), {"value": 1}, record)
        assert store.load(key(0)) == {"value": 1}
        assert_same_records(store.records_many([key(0)]), {key(0): record})

    def test_run_records_in_bulk_only_for_keys_asked_that_have_one(self, store):
        records = {key(i): run_record(name=f"mod.f{i}") for i in range(0, 300, 2)}
        for k, record in records.items():
            store.dump_recorded(k, k, record)
        store.dump(key(1), "made without a record")
        asked = [key(i) for i in range(250)]
        assert_same_records(store.records_many(asked), {k: r for k, r in records.items() if k in asked})
        assert store.records_many([]) == {}

    def test_run_record_removed_with_its_result(self, store):
        for i in range(3):
            store.dump_recorded(key(i), i, run_record())
        assert store.remove(key(0)) is True
        assert store.remove_many([key(1)]) == 1
        assert store.records_many([key(0), key(1), key(2)]).keys() == {key(2)}

    def test_run_record_removed_by_cleanup(self, store):
        for i in range(3):
            store.dump_recorded(key(i), i, run_record())
        store.cleanup([key(2)])
        assert store.records_many([key(0), key(1), key(2)]).keys() == {key(2)}

    def test_run_record_of_a_result_made_again_is_the_new_one(self, store):
        store.dump_recorded(key(0), "old", run_record(code="py311-1:" + "0" * 40))
        store.remove(key(0))
        time.sleep(0.01)  # the new run starts after the removal, as it must (a clock, not a wait for anything)
        newer = run_record(code="py311-1:" + "1" * 40, duration=0.001)
        store.dump_recorded(key(0), "new", newer)
        assert_same_records(store.records_many([key(0)]), {key(0): newer})

    def test_run_record_outlives_close(self, store, reopen):
        self.require("persistence")
        record = run_record()
        store.dump_recorded(key(0), 0, record)
        assert_same_records(reopen(store).records_many([key(0)]), {key(0): record})

    def test_run_record_unreadable_is_no_record(self):
        assert RunRecord.from_json("{not json") is None
        assert RunRecord.from_json('{"name": "x"}') is None
        assert RunRecord.from_line(b"r1 12 not a record") is None
        assert RunRecord.from_line(b"{}") is None
        record = run_record()
        assert RunRecord.from_json(record.to_json()) == record
        assert_same_records({0: RunRecord.from_line(record.to_line())}, {0: record})

    def test_run_record_codes_cover_every_record(self, store):
        first, second = run_record(name="mod.a", code="py311-1:" + "1" * 40), run_record(name="mod.b")
        store.dump_recorded(key(0), 0, first)
        store.dump_recorded(key(1), 1, second)
        codes = store.recorded_codes()
        if codes is not None:  # None: the store cannot say cheaply, and readers read the records
            assert {("mod.a", first.code), ("mod.b", second.code)} <= set(codes)
