"""Scenario 10: big results on the file store (tmpfs), in-process through each
implementation's store object, each step in a fresh process:

* a 200 MiB float64 array: ``dump()`` time, then ``load()`` time and the
  loading process's peak RSS (ru_maxrss) (targets: store and load <= 1.0x Jug's time,
  peak RSS <= 1.1x Jug's);
* a ~50 MB dict (pickled, zlib): ``dump()`` time (<= 0.5x Jug's), ``load()``
  time (<= 1.0x) and the file's size (info).

Correctness: the loader compares what it loaded with the value rebuilt from
the same seed (after its timing and RSS were taken), and checks that the
result file is what the other implementation reads: Jug 2.7 loads ours and we
load Jug's (the file of each is read by the other's loader in a last run).
Ratios in this table are Jug's time / ours (higher is better for us).
"""
import json
import os
import statistics
import tempfile

from common import (JUG27, OURS, TMPFS_BASE, BenchError, Row, error_row, fresh_dir, measure_pair, remove, run_ok,
                    standalone)

REPS = 3  # the dict's times: best of 3 (1 run with --quick)
ARRAY_REPS = 7  # the array's: best of 7, peak RSS median of 7 (a 200 MiB copy takes ~0.07 s: noise is large)
ARRAY_MIB = 200
DICT_ENTRIES = 850_000  # 50 MB pickled
KEY = "9" * 40

# The values, rebuilt by every script from the same recipe.
_VALUES = """
import numpy as np
def make_array(n):
    return np.random.default_rng(0).random(n)
def make_dict(n):
    return {f"sample-{i:07d}": (i, i * 0.25, f"label {i % 977}", [i % 7, i % 11, -i]) for i in range(n)}
"""

_OPEN = {
    OURS: "from jug_file import FileStore\nstore = FileStore(sys.argv[1])\nkey = sys.argv[2].encode()\n",
    JUG27: "from jug.backends.file_store import file_store\nstore = file_store(sys.argv[1])\nkey = sys.argv[2]\n",
}
_DUMP = {OURS: "store.dump(key, value)", JUG27: "store.dump(value, key)"}

# Prints one JSON line: seconds of the dump.
_DUMP_SCRIPT = """
import json, sys, time
{values}
{open}
value = make_{kind}({n})
t0 = time.perf_counter(); {dump}; t1 = time.perf_counter()
print(json.dumps({{"seconds": t1 - t0}}))
"""
# Prints one JSON line: seconds of the load, peak RSS (MiB) at its end, and whether it was right.
_LOAD_SCRIPT = """
import json, resource, sys, time
{values}
{open}
t0 = time.perf_counter(); value = store.load(key); t1 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
expected = make_{kind}({n})
if "{kind}" == "array":
    right = type(value) is np.ndarray and value.dtype == expected.dtype and np.array_equal(value, expected)
    right = right and value.flags.writeable
else:
    right = value == expected
print(json.dumps({{"seconds": t1 - t0, "peak_mib": peak, "right": bool(right)}}))
"""


def _script(impl, text, kind, n):
    return text.format(values=_VALUES, open=_OPEN[impl], dump=_DUMP[impl], kind=kind, n=n)


def _python(impl, script, jugdir):
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(script)
    try:
        _, proc = run_ok(impl, [impl.python, f.name, jugdir, KEY], cwd="/")
    finally:
        os.unlink(f.name)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _result_file(jugdir):
    return os.path.join(jugdir, KEY[:2], KEY[2:])


def _store(impl, jugdir, kind, n):
    fresh_dir(jugdir)
    done = _python(impl, _script(impl, _DUMP_SCRIPT, kind, n), jugdir)
    done["size"] = os.path.getsize(_result_file(jugdir))
    return done


def _load(impl, jugdir, kind, n, writer=None):
    """``impl`` loads what ``writer`` (default: itself) stored; BenchError if it came back wrong."""
    done = _python(impl, _script(impl, _LOAD_SCRIPT, kind, n), jugdir)
    if not done["right"]:
        raise BenchError(f"{impl.label} loaded a wrong {kind} from what {(writer or impl).label} stored")
    return done


def _round(impl, kind, n, jugdirs):
    stored = _store(impl, jugdirs[impl], kind, n)
    return stored, _load(impl, jugdirs[impl], kind, n)


def _rows(kind, n, reps, label, targets):
    jugdirs = {impl: os.path.join(TMPFS_BASE, f"s10-{kind}-{'ours' if impl is OURS else 'jug27'}")
               for impl in (OURS, JUG27)}
    try:
        ours, theirs = measure_pair(reps, lambda: _round(OURS, kind, n, jugdirs),
                                    lambda: _round(JUG27, kind, n, jugdirs))
        _load(JUG27, jugdirs[OURS], kind, n, writer=OURS)  # each reads the other's file
        _load(OURS, jugdirs[JUG27], kind, n, writer=JUG27)
    except BenchError as e:
        return [error_row(f"10. {label}", str(e))]
    finally:
        for jugdir in jugdirs.values():
            remove(jugdir)
    rows = []
    for step, i in (("store", 0), ("load", 1)):
        o = min(r[i]["seconds"] for r in ours)
        t = min(r[i]["seconds"] for r in theirs)
        rows.append(_at_most_row(f"10. {step} {label}, file store [best of {reps}]", o, t, targets[step], "s"))
    if "peak" in targets:
        o = statistics.median(r[1]["peak_mib"] for r in ours)
        t = statistics.median(r[1]["peak_mib"] for r in theirs)
        rows.append(_at_most_row(f"10. peak RSS loading {label}, file store [median of {reps}]", o, t,
                                 targets["peak"], "MiB"))
    size_o, size_t = ours[0][0]["size"], theirs[0][0]["size"]
    rows.append(Row(f"10. size of {label} on disk", f"{size_o / 1e6:.1f} MB", f"{size_t / 1e6:.1f} MB",
                    f"{size_t / size_o:.2f}x", "(none)", "info"))
    rows[0].notes.append("in-process store.dump()/store.load(), each in a fresh process; each implementation "
                         "also loaded the other's file correctly")
    return rows


def _at_most_row(scenario, ours, theirs, at_most, unit):
    """A row whose target is ours <= ``at_most`` x Jug's; ratio shown as Jug / ours."""
    ratio = theirs / ours if ours > 0 else float("inf")
    ok = ours <= at_most * theirs
    digits = 3 if unit == "s" else 1
    return Row(scenario, f"{ours:.{digits}f} {unit}", f"{theirs:.{digits}f} {unit}", f"{ratio:.2f}x",
               f"ours <= {at_most:g}x Jug", "PASS" if ok else "FAIL")


def run(quick=False):
    reps = 1 if quick else REPS
    mib = 20 if quick else ARRAY_MIB
    entries = DICT_ENTRIES // 10 if quick else DICT_ENTRIES
    os.makedirs(TMPFS_BASE, exist_ok=True)
    return (_rows("array", mib * (1 << 20) // 8, 1 if quick else ARRAY_REPS, f"a {mib} MiB float64 array",
                  {"store": 1.0, "load": 1.0, "peak": 1.1})
            + _rows("dict", entries, reps, f"a {entries}-entry dict",
                    {"store": 0.5, "load": 1.0}))


if __name__ == "__main__":
    standalone(run)
