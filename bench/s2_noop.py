"""Scenario 2: with all N tasks complete, a no-op `jug execute`, `jug status`
and `jug check` (each target: ours >= 5x faster).  Each implementation works
on the jugdir it filled itself; the fill is not timed.
"""
import os
import statistics

from common import (IMPLS, JUG27, OURS, TMPFS_BASE, BenchError, error_row, jug_cmd, measure_pair,
                    remove, run as run_cmd, run_ok, standalone, table_total, time_row, verify_check,
                    write_jugfile)

REPS = 5  # median of 5 (of 3 with --quick)


def _timed(impl, command, jugfile, jugdir, n):
    """(wall seconds, CPU seconds) of one run."""
    cmd = jug_cmd(impl, command, jugfile, jugdir)
    wall, proc = run_ok(impl, cmd, cwd=os.path.dirname(jugfile))
    if command == "execute" and table_total(proc.stdout, 0) != 0:
        raise BenchError(f"{impl.label}: the no-op execute executed tasks:\n{proc.stdout}")
    if command == "status" and table_total(proc.stdout, 3) != n:
        raise BenchError(f"{impl.label}: status does not show {n} complete tasks:\n{proc.stdout}")
    return wall, proc.cpu_seconds


def run(quick=False):
    n = 2000 if quick else 50000
    reps = 3 if quick else REPS
    jugfile = write_jugfile(os.path.join(TMPFS_BASE, "s2-jugfile"), n)
    cwd = os.path.dirname(jugfile)
    dirs = {OURS: os.path.join(TMPFS_BASE, "s2-ours"), JUG27: os.path.join(TMPFS_BASE, "s2-jug27")}
    rows = []
    fill = {}
    try:
        for impl in IMPLS:
            remove(dirs[impl])
            fill[impl], _ = run_ok(impl, jug_cmd(impl, "execute", jugfile, dirs[impl]), cwd=cwd)
            verify_check(impl, jugfile, dirs[impl], cwd)
    except BenchError as e:
        return [error_row(f"2. setup: execute {n} tasks", str(e))]
    for command in ("execute", "status", "check"):
        label = f"2. no-op {command}, {n} done" if command == "execute" else f"2. {command}, {n} done"
        try:
            ours, theirs = measure_pair(reps, lambda: _timed(OURS, command, jugfile, dirs[OURS], n),
                                        lambda: _timed(JUG27, command, jugfile, dirs[JUG27], n))
            row = time_row(label, statistics.median(w for w, _ in ours), statistics.median(w for w, _ in theirs),
                           5, how=f"median of {reps}")
            cpu_ours, cpu_theirs = statistics.median(c for _, c in ours), statistics.median(c for _, c in theirs)
            row.notes.append(f"CPU (user+sys, median): ours {cpu_ours:.3f} s, Jug 2.7 {cpu_theirs:.3f} s, "
                             f"{cpu_theirs / cpu_ours:.2f}x")
            rows.append(row)
        except BenchError as e:
            rows.append(error_row(label, str(e)))
    # The jugdirs are interchangeable: each implementation's check passes on the other's.
    for impl, other in ((OURS, JUG27), (JUG27, OURS)):
        _, proc = run_cmd(jug_cmd(impl, "check", jugfile, dirs[other]), cwd=cwd)
        if proc.returncode != 0:
            rows[-1].notes.append(f"COMPAT: {impl.label} `jug check` on {other.label}'s jugdir exited "
                                  f"{proc.returncode}: {proc.stderr[-500:]}")
    rows[0].notes.append(f"untimed fill ({n} tasks, tmpfs): ours {fill[OURS]:.2f} s, Jug 2.7 {fill[JUG27]:.2f} s; "
                         "cross-check (each check on the other's jugdir) run")
    return rows


if __name__ == "__main__":
    standalone(run)
