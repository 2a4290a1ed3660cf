"""Run every benchmark scenario, ours vs Jug 2.7, and print one table.

Usage: .venv/bin/python bench/run_all.py [--quick] [--only 1,3,...] [--keep]

Exit code: 0 all targets met, 1 some target missed, 2 some run failed
(its error is printed below the table).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (DISK_BASE, TMPFS_BASE, ensure_jug27, ensure_ours, format_notes,  # noqa: E402
                    format_table, load_line, machine_line, remove, warm_up)
import s1_execute  # noqa: E402
import s2_noop  # noqa: E402
import s3_graph  # noqa: E402
import s4_dictstore  # noqa: E402
import s5_memory  # noqa: E402
import s6_parallel  # noqa: E402
import s7_keepalive  # noqa: E402
import s8_redis  # noqa: E402
import s9_shared_args  # noqa: E402
import s10_big_results  # noqa: E402

SCENARIOS = {"1": s1_execute, "2": s2_noop, "3": s3_graph, "4": s4_dictstore, "5": s5_memory, "6": s6_parallel,
             "7": s7_keepalive, "8": s8_redis, "9": s9_shared_args, "10": s10_big_results}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke check in about a minute")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenario numbers")
    parser.add_argument("--keep", action="store_true", help="leave the jugdirs under /dev/shm and /tmp")
    args = parser.parse_args()
    ensure_ours()
    ensure_jug27()
    warm_up()
    print(machine_line(), flush=True)
    rows = []
    start = time.perf_counter()
    try:
        for key in args.only.split(","):
            module = SCENARIOS[key.strip()]
            t0 = time.perf_counter()
            print(f"[scenario {key}] running...", file=sys.stderr, flush=True)
            rows += module.run(args.quick)
            print(f"[scenario {key}] {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            remove(TMPFS_BASE)
            remove(DISK_BASE)
    print(f"\njugcore vs Jug 2.7.0{' (--quick)' if args.quick else ''}; times are wall seconds; "
          f"ratio = Jug time / our time (higher is better for us)\n")
    print(format_table(rows))
    notes = format_notes(rows)
    if notes:
        print("\nNotes:\n" + notes)
    print(f"\ntotal benchmark time {time.perf_counter() - start:.0f} s; at the end: {load_line()} "
          "(well above 0 on 2 cores means something else ran and the timings are noisy)")
    results = {r.result for r in rows}
    sys.exit(2 if "ERROR" in results else 1 if "FAIL" in results else 0)


if __name__ == "__main__":
    main()
