"""Build and hash tasks that share one big argument, in-process; run with
either implementation's python.

Usage: python shared_args_hash.py CASE N_TASKS MODULE_DIR
CASE is list_first, dict_first, array_first or list_last (see CASES).
Writes MODULE_DIR/benchshared.py, imports it, makes the shared object (not
timed), then times building N_TASKS tasks ``pair(data, i)`` (``pair(i, data)`` for
list_last) and computing their keys the way the implementation's commands
do: jugcore's ``task_keys`` (one batch, as jug execute/status call it), Jug
2.7's ``t.hash()`` per task.  Prints one JSON line: the seconds, and a digest
of the keys (equal across implementations when the keys are Jug 2.7's).
"""
import hashlib
import json
import os
import sys
import time

MODULE = '''\
from jug import TaskGenerator


@TaskGenerator
def pair(a, b):
    return None


def make(case):
    if case.startswith("list"):
        return list(range(10**6))
    if case == "dict_first":
        return {"k%d" % i: i for i in range(10**5)}
    import numpy as np
    return np.arange(100 * 2**20 // 8, dtype=np.float64)  # 100 MiB


def build(case, data, n):
    if case == "list_last":
        return [pair(i, data) for i in range(n)]
    return [pair(data, i) for i in range(n)]
'''

CASES = ("list_first", "dict_first", "array_first", "list_last")


def _keys_function():
    """The batch the implementation's commands hash with, else t.hash() per task (Jug 2.7)."""
    try:
        from jugcore.model.task import task_keys
    except ImportError:
        return lambda tasks: [t.hash() for t in tasks]
    return task_keys


def main():
    case, n, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if case not in CASES:
        raise SystemExit(f"unknown case {case!r}: one of {', '.join(CASES)}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "benchshared.py"), "w") as out:
        out.write(MODULE)
    sys.path.insert(0, folder)
    import benchshared
    keys_of = _keys_function()
    data = benchshared.make(case)
    # What a jug command has done before it hashes: ours loads its plugins (numpy's
    # key among them) at start-up, and here on the first object it hashes.
    from jug.hash import hash_one
    hash_one(data[:1] if case == "array_first" else [0])
    t0 = time.perf_counter()
    tasks = benchshared.build(case, data, n)
    keys = keys_of(tasks)
    t1 = time.perf_counter()
    digest = hashlib.sha1()
    for key in keys:
        digest.update(key if isinstance(key, bytes) else key.encode())
    print(json.dumps({"tasks": len(tasks), "seconds": t1 - t0, "digest": digest.hexdigest()}))


if __name__ == "__main__":
    main()
