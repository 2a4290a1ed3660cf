"""Scenario 6: two workers on one jugdir (tmpfs), N trivial tasks.  Ours:
`jug execute -j 2`.  Jug 2.7 has no -j: two `jug execute` processes started
together on the same jugdir; wall time until both have finished.  No target."""
import os
import subprocess
import time

from common import (pair_rows, scenario_jugfile, scenario_dirs, JUG27, OURS, BenchError, clean_env, describe_failure, jug_cmd, remove, run_ok, standalone, table_total, time_row,
                    verify_check)

REPS = 3  # best of 3 (1 run with --quick)


def _ours_once(jugfile, jugdir, n):
    remove(jugdir)
    wall, proc = run_ok(OURS, jug_cmd(OURS, "execute", jugfile, jugdir, "-j", "2"), cwd=os.path.dirname(jugfile))
    executed = table_total(proc.stdout, 0)
    if executed != n:
        raise BenchError(f"ours: -j 2 reported {executed} executed tasks, expected {n}\n{proc.stdout}")
    verify_check(OURS, jugfile, jugdir, os.path.dirname(jugfile))
    return wall


def _jug_once(jugfile, jugdir, n):
    remove(jugdir)
    cmd = jug_cmd(JUG27, "execute", jugfile, jugdir)
    env = clean_env()
    t0 = time.perf_counter()
    procs = [subprocess.Popen(cmd, cwd=os.path.dirname(jugfile), env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate() for p in procs]
    wall = time.perf_counter() - t0
    executed = 0
    for p, (out, err) in zip(procs, outs):
        if p.returncode != 0:
            raise BenchError(describe_failure(JUG27, cmd, subprocess.CompletedProcess(cmd, p.returncode, out, err)))
        executed += table_total(out, 0) or 0
    if executed != n:
        raise BenchError(f"Jug 2.7: the two workers executed {executed} tasks in all, expected {n}")
    verify_check(JUG27, jugfile, jugdir, os.path.dirname(jugfile))
    return wall


def run(quick=False):
    n, jugfile = scenario_jugfile("s6", quick, 1000, 10000)
    reps = 1 if quick else REPS
    label = f"6. 2 workers, execute {n} tasks, tmpfs"
    dirs = scenario_dirs("s6")

    def rows(ours, theirs):
        row = time_row(label, min(ours), min(theirs), None, how=f"best of {reps}")
        row.notes.append("ours: `jug execute -j 2`; Jug 2.7: two concurrent `jug execute` on one jugdir; "
                         "verified: executed counts sum to N (no task ran twice) and `jug check` exits 0")
        return [row]

    try:
        return pair_rows(label, reps, lambda: _ours_once(jugfile, dirs[OURS], n),
                         lambda: _jug_once(jugfile, dirs[JUG27], n), rows)
    finally:
        for d in dirs.values():
            remove(d)


if __name__ == "__main__":
    standalone(run)
