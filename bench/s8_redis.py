"""Scenario 8: the Redis store, ours and Jug 2.7's, on one redis-server this
script starts (a free port, no persistence):

* `jug execute` of N trivial tasks into an empty database (target >= 3x), and
  what its run records cost (ours with and without --no-run-records: <= 5%);
* with all 50,000 tasks done: no-op `jug execute`, `jug check` (each >= 5x)
  and `jug status` (>= 3x: importing redis-py, about 0.1 s, is most of what
  it costs us).  Both write the same keys and values, so one fill serves
  both (and each implementation's status must see all N complete);
* a 200 MB numpy array stored and loaded, in-process, through each store
  object, each step in a fresh process (target >= 3x each), and the peak
  memory the load added, in multiples of the array's size (target <= 1.2x).
  Ours runs under a prefix, where we write raw bytes; ours without a prefix
  (Jug's base64 format, so Jug 2.7 can read it) is reported as info.
"""
import json
import os
import statistics
import sys
import tempfile

from common import (JUG27, OURS, RECORDS_COST_ROUNDS, REPO, TMPFS_BASE, BenchError, Row, error_row, jug_cmd,
                    measure_pair, records_cost_row, records_in_process_row, run as run_cmd, run_ok, standalone, table_total, time_row,
                    write_jugfile)

sys.path.insert(0, REPO)
from pytest_jug import RedisServer, RedisUnavailable  # noqa: E402

EXEC_REPS = 3  # best of 3
QUERY_REPS = 5  # median of 5
QUERY_TARGETS = {"execute": 5, "status": 3, "check": 5}
BIG_MB = 200

# Times dump (argv[2] == "dump") or load of one array, each in a fresh process,
# and prints one JSON line: the seconds, and for a load its peak memory beyond
# what the process held before (ru_maxrss), as a multiple of the array's size.
_BIG = """
import json, resource, sys, time, numpy as np
{open}
n = {n}
if sys.argv[2] == "dump":
    array = np.random.default_rng(0).random(n)
    t0 = time.perf_counter(); {dump}; t1 = time.perf_counter()
    print(json.dumps({{"seconds": t1 - t0}}))
else:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter(); loaded = store.load(key); t1 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if not (loaded.dtype == np.float64 and np.array_equal(loaded, np.random.default_rng(0).random(n))):
        sys.exit("the array loaded is not the one stored")
    store.remove(key); store.close()
    print(json.dumps({{"seconds": t1 - t0, "extra": (peak - before) * 1024 / (n * 8)}}))
"""
# Each opens the store and connects before anything is measured.
_BIG_OURS = """from jug_redis import RedisStore, parse_redis_url
store = RedisStore(parse_redis_url(sys.argv[1]))
key = b"f" * 40
store.can_load(key)"""
_BIG_JUG27 = """from jug.backends.redis_store import redis_store
store = redis_store(sys.argv[1])
key = "f" * 40
store.can_load(key)"""
_BIG_DUMP = {OURS: "store.dump(key, array)", JUG27: "store.dump(array, key)"}
LOAD_EXTRA_AT_MOST = 1.2  # times the array's size, ours under a prefix


def _execute(impl, jugfile, url, server, expect_executed, *extra):
    server.command("FLUSHALL")
    wall, proc = run_ok(impl, jug_cmd(impl, "execute", jugfile, url, *extra), cwd=os.path.dirname(jugfile))
    executed = table_total(proc.stdout, 0)
    if executed != expect_executed:
        raise BenchError(f"{impl.label}: execute reported {executed} executed, expected {expect_executed}\n"
                         f"{proc.stdout[-1500:]}")
    return wall


def _query(impl, command, jugfile, url, n):
    wall, proc = run_ok(impl, jug_cmd(impl, command, jugfile, url), cwd=os.path.dirname(jugfile))
    if command == "status" and table_total(proc.stdout, 3) != n:
        raise BenchError(f"{impl.label}: status does not show {n} complete:\n{proc.stdout[-1500:]}")
    if command == "execute" and table_total(proc.stdout, 0) != 0:
        raise BenchError(f"{impl.label}: the no-op execute executed tasks:\n{proc.stdout[-1500:]}")
    return wall


def _urls(server):
    # Jug 2.7 ignores the database number and knows no prefix: both use database 0.
    return {OURS: server.url(0), JUG27: f"redis://127.0.0.1:{server.port}/"}


def _execute_rows(server, quick):
    n = 1000 if quick else 10000
    reps = 1 if quick else EXEC_REPS
    jugfile = write_jugfile(os.path.join(TMPFS_BASE, "s8-exec"), n)
    urls = _urls(server)
    label = f"8. execute {n} tasks, Redis"
    try:
        ours, theirs = measure_pair(reps, lambda: _execute(OURS, jugfile, urls[OURS], server, n),
                                    lambda: _execute(JUG27, jugfile, urls[JUG27], server, n))
    except BenchError as e:
        return [error_row(label, str(e))]
    row = time_row(label, min(ours), min(theirs), 3, how=f"best of {reps}")
    row.notes.append(f"per task: ours {min(ours) / n * 1e6:.0f} us, Jug 2.7 {min(theirs) / n * 1e6:.0f} us "
                     f"(whole process); {_round_trip_us(server):.0f} us per PING round trip")
    cost = records_cost_row(label, lambda: _execute(OURS, jugfile, urls[OURS], server, n),
                            lambda: _execute(OURS, jugfile, urls[OURS], server, n, "--no-run-records"),
                            1 if quick else RECORDS_COST_ROUNDS)
    in_process = records_in_process_row(label, urls[OURS], max(n * 4, 20000), min(ours), n,
                                        lambda: server.command("FLUSHALL"))
    return [row, cost, in_process]


def _query_rows(server, quick):
    n = 2000 if quick else 50000
    reps = 3 if quick else QUERY_REPS
    jugfile = write_jugfile(os.path.join(TMPFS_BASE, "s8-query"), n)
    urls = _urls(server)
    try:
        _execute(OURS, jugfile, urls[OURS], server, n)  # the fill, not timed
    except BenchError as e:
        return [error_row(f"8. setup: execute {n} tasks, Redis", str(e))]
    rows = []
    for command in ("execute", "status", "check"):
        label = f"8. {'no-op ' if command == 'execute' else ''}{command}, {n} done, Redis"
        try:
            ours, theirs = measure_pair(reps, lambda: _query(OURS, command, jugfile, urls[OURS], n),
                                        lambda: _query(JUG27, command, jugfile, urls[JUG27], n))
        except BenchError as e:
            rows.append(error_row(label, str(e)))
            continue
        rows.append(time_row(label, statistics.median(ours), statistics.median(theirs), QUERY_TARGETS[command],
                             how=f"median of {reps}"))
    return rows


def _big(impl, url, n):
    """(dump, load) of one array by ``impl`` at ``url``, each in a fresh process."""
    opening = _BIG_OURS if impl is OURS else _BIG_JUG27
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(_BIG.format(open=opening, dump=_BIG_DUMP[impl], n=n))
    try:
        return tuple(json.loads(run_ok(impl, [impl.python, f.name, url, step], cwd="/")[1].stdout)
                     for step in ("dump", "load"))
    finally:
        os.unlink(f.name)


def _big_rows(server, quick):
    mb = 20 if quick else BIG_MB
    n = mb * (1 << 20) // 8
    reps = 1 if quick else 3
    urls = _urls(server)
    fast_url = server.url(0, "prefix=bench:")
    label = f"8. {mb} MB numpy array, Redis"
    try:
        ours, theirs = measure_pair(reps, lambda: _big(OURS, fast_url, n), lambda: _big(JUG27, urls[JUG27], n))
        compatible = [_big(OURS, urls[OURS], n) for _ in range(reps)]
    except BenchError as e:
        return [error_row(label, str(e))]
    rows = []
    for i, what in enumerate(("store", "load")):
        rows.append(time_row(f"8. {what} a {mb} MB array, Redis (ours under a prefix)",
                             min(r[i]["seconds"] for r in ours), min(r[i]["seconds"] for r in theirs), 3,
                             how=f"best of {reps}"))
        rows.append(time_row(f"8. {what} a {mb} MB array, Redis (ours in Jug's format)",
                             min(r[i]["seconds"] for r in compatible), min(r[i]["seconds"] for r in theirs), None,
                             how=f"best of {reps}"))
    rows[0].notes.append("in-process dump()/load() of np.random.random(), each in a fresh process; under a prefix "
                         "we write raw .npy, without one base64 of an uncompressed zlib stream (what Jug 2.7 reads)")
    rows.append(_memory_row(f"8. peak memory of a load beyond the array, Redis (ours under a prefix)",
                            [r[1]["extra"] for r in ours], [r[1]["extra"] for r in theirs], LOAD_EXTRA_AT_MOST))
    rows.append(_memory_row(f"8. peak memory of a load beyond the array, Redis (ours in Jug's format)",
                            [r[1]["extra"] for r in compatible], [r[1]["extra"] for r in theirs], None))
    return rows


def _memory_row(scenario, ours, theirs, at_most):
    """Peak memory a load added, in array sizes (median); PASS when ours <= ``at_most``."""
    o, t = statistics.median(ours), statistics.median(theirs)
    target, result = (f"ours <= {at_most:g}x array", "PASS" if o <= at_most else "FAIL") if at_most else \
        ("(none)", "info")
    return Row(f"{scenario} [median of {len(ours)}]", f"{o:.2f}x", f"{t:.2f}x", f"{t / o:.2f}x", target, result)


_PING = """
import sys, time, redis
client = redis.Redis(port=int(sys.argv[1]))
client.ping()
t0 = time.perf_counter()
for _ in range(2000):
    client.ping()
print((time.perf_counter() - t0) / 2000 * 1e6)
"""


def _round_trip_us(server):
    """One PING round trip, measured by the bench venv's redis-py (the driver may lack it)."""
    _, proc = run_cmd([OURS.python, "-c", _PING, str(server.port)])
    return float(proc.stdout) if proc.returncode == 0 else float("nan")


def run(quick=False):
    folder = tempfile.mkdtemp(prefix="jugcore-bench-redis-")
    try:
        server = RedisServer(folder).start()
    except RedisUnavailable as e:
        return [Row("8. Redis", "ERROR", result="ERROR", notes=[str(e)])]
    try:
        return _execute_rows(server, quick) + _query_rows(server, quick) + _big_rows(server, quick)
    finally:
        server.kill()
        run_cmd(["rm", "-rf", folder])


if __name__ == "__main__":
    standalone(run)
