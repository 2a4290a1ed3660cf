"""Scenario 1: `jug execute` of N trivial tasks from an empty file jugdir.

On tmpfs (target: ours >= 3x faster than Jug 2.7), compared with a plain
Python loop doing the same file operations (target: ours within 2x of it),
what our run records cost (ours with and without --no-run-records: <= 5%),
and once more on disk (no target).
"""
import os

from common import (DISK_BASE, clean_env, JUG27, OURS, RECORDS_COST_ROUNDS, TMPFS_BASE, BenchError, Row,
                    count_result_files, error_row, jug_cmd, measure_rounds, records_cost_row, records_in_process_row,
                    remove, result_keys,
                    run_ok, standalone, table_total, time_row, verify_check, write_jugfile)

REPS = 3  # best of 3 (1 run with --quick)
PLAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plain_loop.py")


def _execute_once(impl, jugfile, jugdir, n, *extra):
    remove(jugdir)
    wall, proc = run_ok(impl, jug_cmd(impl, "execute", jugfile, jugdir, *extra), cwd=os.path.dirname(jugfile))
    executed = table_total(proc.stdout, 0)
    if executed != n:
        raise BenchError(f"{impl.label}: execute reported {executed} executed tasks, expected {n}\n{proc.stdout}")
    return wall


def _plain_once(jugdir, n):
    remove(jugdir)
    # A high trim threshold stops glibc from handing zlib's ~256 KiB deflate state
    # back to the kernel after every task (brk churn + page faults, ~100 us/task
    # here) -- an allocator artefact that jug itself does not hit.
    wall, proc = run_ok(OURS, [OURS.python, PLAIN, jugdir, str(n)],
                        env=clean_env(MALLOC_TRIM_THRESHOLD_=str(16 << 20)))
    return wall, float(proc.stdout.strip())


def _verify(jugfile, dirs, n):
    """Each implementation's `jug check` passes on its own jugdir, the result
    files are all there, and both wrote the same keys (Jug-2.7 hashing)."""
    cwd = os.path.dirname(jugfile)
    for impl, jugdir in dirs.items():
        verify_check(impl, jugfile, jugdir, cwd)
        found = count_result_files(jugdir)
        if found != n:
            raise BenchError(f"{impl.label}: {found} result files in {jugdir}, expected {n}")
    if result_keys(dirs[OURS]) != result_keys(dirs[JUG27]):
        raise BenchError("ours and Jug 2.7 stored results under different keys (hash mismatch)")


def _scenario(label, base, n, with_plain, target, reps):
    jugfile = write_jugfile(os.path.join(TMPFS_BASE, "s1-jugfile"), n)
    dirs = {OURS: os.path.join(base, "s1-ours"), JUG27: os.path.join(base, "s1-jug27")}
    plain_dir = os.path.join(base, "s1-plain")
    # ours, Jug and the plain loop take turns, so that load from elsewhere hits all three alike
    ours, theirs, plains = measure_rounds(reps, [
        lambda: _execute_once(OURS, jugfile, dirs[OURS], n),
        lambda: _execute_once(JUG27, jugfile, dirs[JUG27], n),
        lambda: _plain_once(plain_dir, n),
    ])
    _verify(jugfile, dirs, n)
    o, t = min(ours), min(theirs)
    row = time_row(label, o, t, target, how=f"best of {reps}")
    row.notes.append(f"per task: ours {o / n * 1e6:.0f} us, Jug 2.7 {t / n * 1e6:.0f} us "
                     f"(runs: ours {_fmt(ours)}; Jug {_fmt(theirs)})")
    rows = [row]
    if count_result_files(plain_dir) != n:
        raise BenchError("plain loop did not write all result files")
    p_wall = min(w for w, _ in plains)
    p_loop = min(l for _, l in plains)
    if with_plain:
        ratio = o / p_wall
        rows.append(Row(f"{label}: ours vs plain-Python loop", f"{o:.3f} s", f"plain {p_wall:.3f} s",
                        f"{ratio:.2f}x ours/plain", "ours/plain <= 2x", "PASS" if ratio <= 2 else "FAIL"))
    row.notes.append(f"plain loop: {p_wall:.3f} s whole process, {p_loop:.3f} s in the loop "
                     f"= {p_loop / n * 1e6:.0f} us/task")
    remove(plain_dir)
    if with_plain:
        rows.append(records_cost_row(label, lambda: _execute_once(OURS, jugfile, dirs[OURS], n),
                                     lambda: _execute_once(OURS, jugfile, dirs[OURS], n, "--no-run-records"),
                                     RECORDS_COST_ROUNDS if reps > 1 else 1))
        rows.append(records_in_process_row(label, dirs[OURS], max(n * 4, 20000), o, n, lambda: remove(dirs[OURS])))
    return rows


def _fmt(values):
    return ", ".join(f"{v:.2f}" for v in values)


def run(quick=False):
    n, n_disk = (1000, 200) if quick else (10000, 10000)
    reps = 1 if quick else REPS
    rows = []
    for label, base, n, with_plain, target in (
        (f"1. execute {n} tasks, tmpfs", TMPFS_BASE, n, True, 3),
        (f"1c. execute {n_disk} tasks, disk", DISK_BASE, n_disk, False, None),
    ):
        try:
            rows += _scenario(label, base, n, with_plain, target, reps)
        except BenchError as e:
            rows.append(error_row(label, str(e)))
    return rows


if __name__ == "__main__":
    standalone(run)
