"""Scenario 9: build and hash 20 tasks that share one big argument, in-process
(shared_args_hash.py): a 1e6-int list, a 1e5-entry dict and a 100 MiB array
passed first (target: ours <= 0.1x Jug's time), the list passed last
(<= 0.3x).  The keys must be identical across implementations and runs."""
import json
import os
import statistics
from functools import partial

from common import JUG27, OURS, TMPFS_BASE, BenchError, pair_rows, run_ok, standalone, time_row

REPS = 3  # median of 3 (one run with --quick)
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shared_args_hash.py")
# case: (what is shared, lowest Jug/ours ratio)
CASES = {
    "list_first": ("a 1e6-int list, first", 10),
    "dict_first": ("a 1e5-entry dict, first", 10),
    "array_first": ("a 100 MiB array, first", 10),
    "list_last": ("a 1e6-int list, last", round(1 / 0.3, 2)),
}


def _once(impl, case, n, folder):
    _, proc = run_ok(impl, [impl.python, SCRIPT, case, str(n), folder], cwd=folder)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if data["tasks"] != n:
        raise BenchError(f"{impl.label}: built {data['tasks']} tasks, expected {n}")
    return data


def run(quick=False):
    n = 5 if quick else 20
    reps = 1 if quick else REPS
    folder = os.path.join(TMPFS_BASE, "s9")
    os.makedirs(folder, exist_ok=True)
    rows = []
    for case, (shared, min_ratio) in CASES.items():
        label = f"9. build+hash {n} tasks sharing {shared}"
        rows += pair_rows(label, reps, partial(_once, OURS, case, n, folder), partial(_once, JUG27, case, n, folder),
                          lambda ours, theirs, label=label, min_ratio=min_ratio: [
                              _row(label, reps, min_ratio, ours, theirs)])
    return rows


def _row(label, reps, min_ratio, ours, theirs):
    row = time_row(f"{label}, in-process", statistics.median(d["seconds"] for d in ours),
                   statistics.median(d["seconds"] for d in theirs), min_ratio, how=f"median of {reps}")
    digests = {d["digest"] for d in ours + theirs}
    if len(digests) != 1:
        row.result = "ERROR"
        row.notes.append(f"keys differ between runs/implementations: {sorted(digests)}")
    return row


if __name__ == "__main__":
    standalone(run)
