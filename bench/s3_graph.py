"""Scenario 3: build and hash an N-task graph in-process (target: ours >= 3x),
timed inside the process with perf_counter (build + hash only), and as a
whole process (interpreter start, `import jug`, build, hash)."""
import json
import os
import statistics

from common import (pair_rows, JUG27, OURS, TMPFS_BASE, BenchError, run_ok,
                    standalone, time_row)

REPS = 5  # median of 5 (of 3 with --quick)
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_hash.py")


def _once(impl, n, folder):
    wall, proc = run_ok(impl, [impl.python, SCRIPT, str(n), folder], cwd=folder)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if data["tasks"] != n:
        raise BenchError(f"{impl.label}: built {data['tasks']} tasks, expected {n}")
    data["wall"] = wall
    return data


def run(quick=False):
    n = 5000 if quick else 50000
    reps = 3 if quick else REPS
    label = f"3. build+hash {n}-task graph"
    folder = os.path.join(TMPFS_BASE, "s3")
    os.makedirs(folder, exist_ok=True)
    return pair_rows(label, reps, lambda: _once(OURS, n, folder), lambda: _once(JUG27, n, folder),
                     lambda ours, theirs: _rows(label, reps, ours, theirs))


def _rows(label, reps, ours, theirs):
    digests = {d["digest"] for d in ours + theirs}

    def med(runs, *keys):
        return statistics.median(sum(d[k] for k in keys) for d in runs)

    rows = [
        time_row(f"{label}, in-process", med(ours, "build_s", "hash_s"), med(theirs, "build_s", "hash_s"), 3,
                 how=f"median of {reps}"),
        time_row(f"{label}, whole process", med(ours, "wall"), med(theirs, "wall"), 3, how=f"median of {reps}"),
    ]
    if len(digests) != 1:
        rows[0].result = "ERROR"
        rows[0].notes.append(f"hashes differ between runs/implementations: {sorted(digests)}")
    rows[0].notes.append(
        "medians, ours / Jug 2.7: import jug {:.3f} / {:.3f} s, build {:.3f} / {:.3f} s, hash {:.3f} / {:.3f} s; "
        "all task hashes identical across implementations: {}".format(
            med(ours, "import_s"), med(theirs, "import_s"), med(ours, "build_s"), med(theirs, "build_s"),
            med(ours, "hash_s"), med(theirs, "hash_s"), len(digests) == 1))
    return rows


if __name__ == "__main__":
    standalone(run)
