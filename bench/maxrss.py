"""Run a command in this (fresh) process's child and print one JSON line:
its exit code, wall seconds and peak RSS (ru_maxrss of RUSAGE_CHILDREN, KiB
on Linux: the largest of this process's waited-for descendants).

Usage: python maxrss.py CMD [ARGS...]   (the command's stdout goes to our stderr)
"""
import json
import resource
import subprocess
import sys
import time


def main():
    t0 = time.perf_counter()
    proc = subprocess.run(sys.argv[1:], stdout=sys.stderr)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rc": proc.returncode, "wall": wall, "maxrss_kb": usage.ru_maxrss}))


if __name__ == "__main__":
    main()
