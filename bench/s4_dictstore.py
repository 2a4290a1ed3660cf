"""Scenario 4: `jug execute --jugdir dict_store` (results in memory) of N
trivial tasks (target: ours >= 3x faster)."""
import os

from common import (pair_rows, scenario_jugfile, JUG27, OURS, BenchError, jug_cmd, run_ok,
                    standalone, table_total, time_row)

REPS = 3  # best of 3 (1 run with --quick)


def _once(impl, jugfile, n):
    wall, proc = run_ok(impl, jug_cmd(impl, "execute", jugfile, "dict_store"), cwd=os.path.dirname(jugfile))
    executed = table_total(proc.stdout, 0)
    if executed != n:
        raise BenchError(f"{impl.label}: dict_store execute reported {executed} executed, expected {n}\n"
                         f"{proc.stdout}")
    return wall


def run(quick=False):
    n, jugfile = scenario_jugfile("s4", quick, 5000, 50000)
    reps = 1 if quick else REPS
    label = f"4. execute {n} tasks, dict_store"

    def rows(ours, theirs):
        row = time_row(label, min(ours), min(theirs), 3, how=f"best of {reps}")
        row.notes.append(f"per task: ours {min(ours) / n * 1e6:.0f} us, Jug 2.7 {min(theirs) / n * 1e6:.0f} us; "
                         "verified: exit 0 and the summary's Total executed == N")
        return [row]

    return pair_rows(label, reps, lambda: _once(OURS, jugfile, n), lambda: _once(JUG27, jugfile, n), rows)


if __name__ == "__main__":
    standalone(run)
