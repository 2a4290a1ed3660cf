"""Build and hash a task graph in-process; run with either implementation's python.

Usage: python graph_hash.py N MODULE_DIR
Writes MODULE_DIR/benchgraph.py (a jugfile-like module), imports it, builds
N tasks (N/2 leaves f(i), N/2 tasks add(leaf, i) that depend on them), calls
t.hash() on every task and prints one JSON line: seconds spent importing jug,
building, hashing, and a digest of all hashes (equal across implementations
when the hashing is Jug-2.7 compatible).
"""
import hashlib
import json
import os
import sys
import time

MODULE = '''\
from jug import TaskGenerator


@TaskGenerator
def f(i):
    return i


@TaskGenerator
def add(a, b):
    return a + b


def build(n):
    leaves = [f(i) for i in range(n // 2)]
    return leaves + [add(leaf, i) for i, leaf in enumerate(leaves)]
'''


def main():
    n, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "benchgraph.py"), "w") as out:
        out.write(MODULE)
    sys.path.insert(0, folder)
    t0 = time.perf_counter()
    import jug  # noqa: F401
    t1 = time.perf_counter()
    import benchgraph
    tasks = benchgraph.build(n)
    t2 = time.perf_counter()
    hashes = [t.hash() for t in tasks]
    t3 = time.perf_counter()
    digest = hashlib.sha1()
    for h in hashes:
        digest.update(h if isinstance(h, bytes) else h.encode())
    print(json.dumps({"tasks": len(tasks), "import_s": t1 - t0, "build_s": t2 - t1, "hash_s": t3 - t2,
                      "digest": digest.hexdigest()}))


if __name__ == "__main__":
    main()
