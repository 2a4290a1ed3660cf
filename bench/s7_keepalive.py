"""Scenario 7: per-task overhead of the file_keepalive store against the plain
file store (ours, both), `jug execute` of N trivial tasks on tmpfs and on disk.

Per-task cost is incremental: (wall(N tasks) - wall(10 tasks)) / (N - 10), so
interpreter start-up and imports cancel out; the runs take turns.  Target on
tmpfs: keepalive within 1.5x of file.  On disk each task waits for an
fdatasync whose latency (milliseconds, varying with whatever else writes)
dwarfs the stores' difference: shown, no target.  Jug 2.7's own
file_keepalive (a monitor process per lock) is timed on fewer tasks, for
reference.
"""
import os

from common import (DISK_BASE, JUG27, OURS, TMPFS_BASE, BenchError, Row, error_row, jug_cmd, measure_rounds,
                    remove, run_ok, standalone, table_total, verify_check, write_jugfile)

REPS = 3  # best of 3 (1 run with --quick)
SMALL = 10
TARGET = 1.5


def _wall(impl, jugfile, scheme, path, n):
    remove(path)
    jugdir = scheme + path
    wall, proc = run_ok(impl, jug_cmd(impl, "execute", jugfile, jugdir), cwd=os.path.dirname(jugfile))
    if table_total(proc.stdout, 0) != n:
        raise BenchError(f"{impl.label}: execute on {jugdir} did not execute {n} tasks\n{proc.stdout}")
    return wall


def _per_task(impl, schemes, base, n, reps):
    """{scheme: best-of-``reps`` incremental seconds per task} of ``impl`` on jugdirs of
    each of ``schemes`` under ``base``; the runs of all schemes take turns."""
    big = write_jugfile(os.path.join(TMPFS_BASE, "s7-big"), n)
    small = write_jugfile(os.path.join(TMPFS_BASE, "s7-small"), SMALL)
    paths = {scheme: os.path.join(base, "s7-" + (scheme.rstrip(":") or "file")) for scheme in schemes}
    runs = [(scheme, jugfile, size) for scheme in schemes for jugfile, size in ((big, n), (small, SMALL))]
    walls = measure_rounds(reps, [lambda s=scheme, j=jugfile, k=size: _wall(impl, j, s, paths[s], k)
                                  for scheme, jugfile, size in runs])
    best = {(scheme, size): min(w) for (scheme, _, size), w in zip(runs, walls)}
    for scheme, path in paths.items():
        _wall(impl, big, scheme, path, n)
        verify_check(impl, big, scheme + path, os.path.dirname(big))
        remove(path)
    return {scheme: (best[scheme, n] - best[scheme, SMALL]) / (n - SMALL) for scheme in schemes}


def _compare(label, base, n, reps, target):
    per_task = _per_task(OURS, ("", "file_keepalive:"), base, n, reps)
    file_s, keepalive_s = per_task[""], per_task["file_keepalive:"]
    ratio = keepalive_s / file_s
    verdict = "info" if target is None else "PASS" if ratio <= target else "FAIL"
    return Row(label, f"keepalive {keepalive_s * 1e6:.0f} us/task", f"(ours) file {file_s * 1e6:.0f} us/task",
               f"{ratio:.2f}x keepalive/file", "(none)" if target is None else f"<= {target:g}x", verdict)


def _jug27_reference(n, ours_keepalive_row):
    theirs = _per_task(JUG27, ("file_keepalive:",), TMPFS_BASE, n, 1)["file_keepalive:"]
    ours_us = float(ours_keepalive_row.ours.split()[1])
    return Row(f"7c. Jug 2.7 file_keepalive, {n} tasks, tmpfs", f"{ours_us:.0f} us/task",
               f"{theirs * 1e6:.0f} us/task", f"{theirs * 1e6 / ours_us:.1f}x", "(none)", "info")


def run(quick=False):
    n, n_disk, n_jug27 = (1000, 200, 60) if quick else (10000, 2000, 300)
    reps = 1 if quick else REPS
    rows = []
    for label, base, size, target in ((f"7. file_keepalive vs file, {n} tasks, tmpfs", TMPFS_BASE, n, TARGET),
                                      (f"7b. file_keepalive vs file, {n_disk} tasks, disk", DISK_BASE, n_disk, None)):
        try:
            rows.append(_compare(label, base, size, reps, target))
        except BenchError as e:
            rows.append(error_row(label, str(e)))
    if rows[0].result != "ERROR":
        try:
            rows.append(_jug27_reference(n_jug27, rows[0]))
        except BenchError as e:
            rows.append(error_row("7c. Jug 2.7 file_keepalive", str(e)))
    return rows


if __name__ == "__main__":
    standalone(run)
