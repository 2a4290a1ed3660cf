"""What one `jug execute` worker did, and the sum of several (`-j N`).

A -j worker writes its summary as JSON (:meth:`RunSummary.to_json`); the parent
reads each back (:meth:`RunSummary.from_json`, the same summary, failures as
:class:`TaskFailure` records) and adds them up (:meth:`RunSummary.merge`).
"""
import json
from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Optional

from jugcore.run.failures import LostLease, TaskFailure

__all__ = ["RunSummary"]


@dataclass
class RunSummary:
    executed: Counter = field(default_factory=Counter)
    loaded: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)  # TaskFailure
    blocked: dict = field(default_factory=dict)  # key -> name of tasks waiting on failed tasks
    failed_elsewhere: dict = field(default_factory=dict)  # key -> name: failed in another worker, or kept
    stopped: Optional[str] = None  # why a stop policy ended the run
    gave_up_waiting: int = 0  # tasks other workers still held when the wait budget ran out
    missing_inputs: set = field(default_factory=set)  # unselected tasks others need, with no result
    barrier_unmet: Optional[str] = None
    # LostLease of tasks that ran here but were taken over: not executed, and not
    # a failure either (their results come from the workers that took them over).
    lease_lost: list = field(default_factory=list)
    unmatched: Optional[str] = None  # the --name/--pattern selected no task: what to say

    @property
    def ok(self):
        return not (
            self.failures or self.blocked or self.failed_elsewhere or self.missing_inputs or self.barrier_unmet
            or self.unmatched
        )

    def to_json(self):
        document = {f.name: getattr(self, f.name) for f in fields(self)}
        document["failures"] = [failure.to_dict() for failure in self.failures]
        document["missing_inputs"] = sorted(self.missing_inputs)
        document["lease_lost"] = [vars(lost) for lost in self.lease_lost]
        return json.dumps(document)

    @classmethod
    def from_json(cls, text):
        """The summary ``to_json`` wrote; ValueError if ``text`` is not one."""
        try:
            document = json.loads(text)
            return cls(
                executed=Counter(document["executed"]), loaded=Counter(document["loaded"]),
                failures=[TaskFailure(**failure) for failure in document["failures"]],
                blocked=document["blocked"], failed_elsewhere=document["failed_elsewhere"],
                stopped=document["stopped"], gave_up_waiting=document["gave_up_waiting"],
                missing_inputs=set(document["missing_inputs"]), barrier_unmet=document["barrier_unmet"],
                lease_lost=[LostLease(**lost) for lost in document["lease_lost"]],
                unmatched=document["unmatched"],
            )
        except (KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"not a RunSummary: {type(e).__name__}: {e}") from None

    @classmethod
    def merge(cls, summaries):
        """The run of sibling workers that shared one jugdir, each summary one worker's."""
        total = cls()
        for summary in summaries:
            total._add(summary)
        total.loaded = _loaded_by_nobody_else(summaries, total.executed)
        failed = {failure.key: failure for failure in total.failures}  # failed in several workers: once
        total.failures = list(failed.values())
        # A sibling's failure, found in the store by the others, is reported once, as a failure.
        total.blocked = {k: name for k, name in total.blocked.items() if k not in failed}
        total.failed_elsewhere = {k: name for k, name in total.failed_elsewhere.items() if k not in failed}
        return total

    def _add(self, other):
        self.executed.update(other.executed)
        self.failures.extend(other.failures)
        self.blocked.update(other.blocked)
        self.failed_elsewhere.update(other.failed_elsewhere)
        self.missing_inputs.update(other.missing_inputs)
        self.stopped = self.stopped or other.stopped
        self.gave_up_waiting += other.gave_up_waiting
        self.barrier_unmet = self.barrier_unmet or other.barrier_unmet
        self.lease_lost.extend(other.lease_lost)
        self.unmatched = self.unmatched or other.unmatched


def _loaded_by_nobody_else(summaries, executed):
    """Every worker ends having executed or loaded each task it knew: what no
    worker executed was already done.  Per name, the most tasks any one worker
    accounted for, less those executed."""
    known = Counter()
    for summary in summaries:
        for name in set(summary.executed) | set(summary.loaded):
            known[name] = max(known[name], summary.executed[name] + summary.loaded[name])
    return Counter({name: max(0, n - executed[name]) for name, n in known.items()})
