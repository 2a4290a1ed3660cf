"""RunSummary goes through JSON and back unchanged (a -j worker's report to its
parent), failures as records that still say what happened; and the summaries
of sibling workers add up to one run in which each task counts once."""
from collections import Counter

import pytest

from jugcore.errors import JugError
from jugcore.run.failures import LostLease, TaskFailure
from jugcore.run.summary import RunSummary


def _raised(error):
    try:
        raise error
    except Exception as e:
        return e


def _full_summary():
    return RunSummary(
        executed=Counter({"jf.f": 3}), loaded=Counter({"jf.f": 2, "jf.g": 1}),
        failures=[TaskFailure("jf.boom", "k1", _raised(ValueError("bad value"))),
                  TaskFailure("jf.lam", "k2", _raised(TypeError("cannot pickle")), saving=True),
                  TaskFailure("jf.cfg", "k3", _raised(JugError("fix the thing")))],
        blocked={"k4": "jf.after"}, failed_elsewhere={"k5": "jf.other"}, stopped="two are enough",
        gave_up_waiting=2, missing_inputs={"jf.unselected"}, barrier_unmet="a barrier",
        lease_lost=[LostLease("jf.slow", "k6", "host:12")],
    )


def test_a_summary_comes_back_from_json_equal():
    summary = _full_summary()
    again = RunSummary.from_json(summary.to_json())
    assert again == summary
    assert again.to_json() == summary.to_json()
    assert isinstance(again.executed, Counter) and isinstance(again.missing_inputs, set)
    assert not again.ok


def test_failures_come_back_as_records_that_say_the_same():
    summary = _full_summary()
    again = RunSummary.from_json(summary.to_json())
    for before, after in zip(summary.failures, again.failures):
        assert isinstance(after, TaskFailure) and after.error is None
        assert after.headline() == before.headline()
        assert after.details() == before.details()
    raised, unpicklable, handled = again.failures
    assert raised.headline() == "task jf.boom failed (it raised): ValueError: bad value"
    assert "Traceback" in raised.details() and "ValueError: bad value" in raised.details()
    assert "Results are pickled" in unpicklable.details()
    assert handled.details() == ""  # a JugError says what to fix: no traceback


def test_an_empty_summary_round_trips_and_is_ok():
    again = RunSummary.from_json(RunSummary().to_json())
    assert again == RunSummary() and again.ok


@pytest.mark.parametrize("text", ["", "[]", '{"executed": {}}', "not json"])
def test_what_is_not_a_summary_is_a_value_error(text):
    with pytest.raises(ValueError):
        RunSummary.from_json(text)


def test_sibling_summaries_merge_counting_each_task_once():
    boom = TaskFailure("jf.boom", "kb", _raised(ValueError("x")))
    first = RunSummary(executed=Counter({"jf.f": 3}), loaded=Counter({"jf.f": 1}), failures=[boom],
                       blocked={"kb": "jf.boom", "ka": "jf.after"}, gave_up_waiting=1,
                       lease_lost=[LostLease("jf.slow", "ks")])
    second = RunSummary(executed=Counter({"jf.f": 1}), loaded=Counter({"jf.f": 3, "jf.g": 2}),
                        failures=[boom], failed_elsewhere={"kb": "jf.boom", "ko": "jf.old"}, gave_up_waiting=2,
                        stopped="enough", missing_inputs={"jf.m"})
    merged = RunSummary.merge([first, second])
    assert merged.executed == Counter({"jf.f": 4})
    assert merged.loaded == Counter({"jf.f": 0, "jf.g": 2})  # what no worker executed was already done
    assert [f.key for f in merged.failures] == ["kb"]  # failed in both: once
    assert merged.blocked == {"ka": "jf.after"}
    assert merged.failed_elsewhere == {"ko": "jf.old"}  # a sibling's failure is reported as a failure
    assert merged.gave_up_waiting == 3 and merged.stopped == "enough" and merged.missing_inputs == {"jf.m"}
    assert merged.lease_lost == [LostLease("jf.slow", "ks")]


def test_merging_round_tripped_summaries_is_merging_the_originals():
    summaries = [_full_summary(), RunSummary(executed=Counter({"jf.g": 1}))]
    again = [RunSummary.from_json(s.to_json()) for s in summaries]
    assert RunSummary.merge(again) == RunSummary.merge(summaries)
