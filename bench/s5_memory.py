"""Scenario 5: peak memory (max RSS) of `jug execute` over N trivial tasks with
a file jugdir on tmpfs (target: ours <= Jug's).  Each run is measured in a
fresh wrapper process (maxrss.py) so that earlier runs cannot raise the peak."""
import json
import os
import statistics
import sys

from common import (pair_rows, scenario_jugfile, scenario_dirs, JUG27, OURS, BenchError, Row, jug_cmd, remove, run_ok, standalone, table_total, time_row, verify_check)

REPS = 3  # median of 3 (1 run with --quick)
WRAPPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "maxrss.py")


def _once(impl, jugfile, jugdir, n):
    remove(jugdir)
    _, proc = run_ok(impl, [sys.executable, WRAPPER, *jug_cmd(impl, "execute", jugfile, jugdir)],
                     cwd=os.path.dirname(jugfile))
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if data["rc"] != 0:
        raise BenchError(f"{impl.label}: execute exited {data['rc']}\n{proc.stderr[-4000:]}")
    if table_total(proc.stderr, 0) != n:
        raise BenchError(f"{impl.label}: execute did not report {n} executed tasks\n{proc.stderr[-4000:]}")
    verify_check(impl, jugfile, jugdir, os.path.dirname(jugfile))
    return data


def run(quick=False):
    n, jugfile = scenario_jugfile("s5", quick, 2000, 50000)
    reps = 1 if quick else REPS
    label = f"5. peak RSS, execute {n} tasks, tmpfs"
    dirs = scenario_dirs("s5")
    try:
        return pair_rows(label, reps, lambda: _once(OURS, jugfile, dirs[OURS], n),
                         lambda: _once(JUG27, jugfile, dirs[JUG27], n),
                         lambda ours, theirs: _rows(label, n, reps, ours, theirs))
    finally:
        for d in dirs.values():
            remove(d)


def _rows(label, n, reps, ours, theirs):
    o = statistics.median(d["maxrss_kb"] for d in ours) / 1024
    t = statistics.median(d["maxrss_kb"] for d in theirs) / 1024
    row = Row(f"{label} [median of {reps}]", f"{o:.1f} MiB", f"{t:.1f} MiB", f"{t / o:.2f}x", "ours <= Jug",
              "PASS" if o <= t else "FAIL")
    row.notes.append("max RSS per run (MiB): ours {}; Jug 2.7 {}".format(
        ", ".join(f"{d['maxrss_kb'] / 1024:.1f}" for d in ours),
        ", ".join(f"{d['maxrss_kb'] / 1024:.1f}" for d in theirs)))
    timing = time_row(f"5b. execute {n} tasks, tmpfs (same runs)", min(d["wall"] for d in ours),
                      min(d["wall"] for d in theirs), None, how=f"best of {reps}")
    return [row, timing]


if __name__ == "__main__":
    standalone(run)
