"""Shared helpers for the jugcore-vs-Jug-2.7 benchmarks.

Every benchmark runs both implementations as subprocesses, in the same run,
interleaved (ours, Jug, Jug, ours, ...) so that drift in machine load hits
both alike.  Timings are wall-clock seconds of the whole `jug` process unless
a scenario says otherwise.
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)

# Our jug, installed from wheels of this checkout into a venv of its own, as a
# user's `pip install jugcore` would (an editable install costs every command
# its import hooks).  JUGCORE_BENCH_EDITABLE=1 uses the repo's .venv instead.
OURS_VENV = os.path.expanduser("~/.cache/jugcore/bench-ours")
OURS_BIN = (os.path.join(REPO, ".venv", "bin") if os.environ.get("JUGCORE_BENCH_EDITABLE")
            else os.path.join(OURS_VENV, "bin"))
_DISTRIBUTIONS = (".", "plugins/jug_file", "plugins/jug_dictstore", "plugins/jug_keepalive", "plugins/jug_redis")
# Jug 2.7.0, the reference, in its own virtualenv (created on demand).
JUG27_VENV = os.path.expanduser("~/.cache/jugcore/jug27")
JUG27_BIN = os.path.join(JUG27_VENV, "bin")

TMPFS_BASE = "/dev/shm/jugcore-bench"
DISK_BASE = "/tmp/jugcore-bench"
# Compiled bytecode of both implementations goes here (not into the repo), so
# that neither recompiles its modules on every run even where the calling
# environment sets PYTHONDONTWRITEBYTECODE.  Kept between benchmark runs.
PYCACHE = "/tmp/jugcore-bench-pycache"


class BenchError(Exception):
    """An implementation failed (non-zero exit, wrong result): the scenario has no valid timing."""


@dataclass(frozen=True)
class Impl:
    label: str
    bin: str

    @property
    def jug(self):
        return os.path.join(self.bin, "jug")

    @property
    def python(self):
        return os.path.join(self.bin, "python")


OURS = Impl("ours", OURS_BIN)
JUG27 = Impl("Jug 2.7", JUG27_BIN)
IMPLS = (OURS, JUG27)


def ensure_jug27():
    """Create the Jug 2.7.0 virtualenv if it is missing."""
    if os.path.exists(JUG27.jug) and _jug27_version_ok():
        return
    print(f"[setup] creating Jug 2.7.0 virtualenv in {JUG27_VENV}", file=sys.stderr)
    base_python = getattr(sys, "_base_executable", None) or sys.executable
    if not os.path.exists(JUG27.python):
        subprocess.run([base_python, "-m", "venv", JUG27_VENV], check=True, cwd="/")
    subprocess.run([JUG27.python, "-m", "pip", "install", "--quiet", "jug==2.7.0", "numpy", "redis"], check=True,
                   cwd="/")
    if not _jug27_version_ok():
        raise SystemExit(f"could not install Jug 2.7.0 into {JUG27_VENV}")


def _jug27_version_ok():
    # cwd="/": from the repo root, `import jug` would find our jug/ package instead.
    r = subprocess.run([JUG27.python, "-c", "import jug; print(jug.__version__)"],
                       capture_output=True, text=True, cwd="/")
    return r.returncode == 0 and r.stdout.strip() == "2.7.0"


def ensure_ours():
    """(Re)install our distributions into the bench venv when the sources changed."""
    if os.environ.get("JUGCORE_BENCH_EDITABLE"):
        if not os.path.exists(OURS.jug):
            raise SystemExit(f"our jug is not installed at {OURS.jug} (scripts/setup-venv.sh)")
        return
    stamp_file = os.path.join(OURS_VENV, ".source-hash")
    stamp = _source_hash()
    if os.path.exists(OURS.jug) and os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        return
    print(f"[setup] installing our distributions (wheels) into {OURS_VENV}", file=sys.stderr)
    base_python = getattr(sys, "_base_executable", None) or sys.executable
    if not os.path.exists(OURS.python):
        subprocess.run([base_python, "-m", "venv", OURS_VENV], check=True, cwd="/")
    import tempfile

    with tempfile.TemporaryDirectory() as build:
        sources = []
        for dist in _DISTRIBUTIONS:  # build from a copy: no build/ folders in the checkout
            copy = os.path.join(build, os.path.basename(os.path.abspath(os.path.join(REPO, dist))))
            shutil.copytree(os.path.join(REPO, dist), copy, ignore=_not_packaged(os.path.join(REPO, dist)))
            sources.append(copy)
        subprocess.run([OURS.python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps",
                        *sources], check=True, cwd="/")
        subprocess.run([OURS.python, "-m", "pip", "install", "--quiet", "pluggy", "click", "platformdirs", "psutil",
                        "numpy", "redis"],
                       check=True, cwd="/")
    with open(stamp_file, "w") as f:
        f.write(stamp)


_NEVER_PACKAGED = {".venv", ".git", "__pycache__", "build"}
# Folders of the repository root that are not the distribution's (jugcore/plugins is).
_ROOT_ONLY = {"plugins", "tests", "bench", "examples", "docs"}


def _not_packaged(root):
    """copytree's ignore: build clutter anywhere, the other distributions and the
    tests only at the top of ``root``."""
    def ignore(folder, names):
        skipped = {n for n in names if n in _NEVER_PACKAGED or n.endswith(".egg-info")}
        if os.path.abspath(folder) == os.path.abspath(root):
            skipped |= _ROOT_ONLY & set(names)
        return skipped

    return ignore


def _source_hash():
    import hashlib

    digest = hashlib.sha1()
    for dist in _DISTRIBUTIONS:
        root = os.path.join(REPO, dist)
        for folder, dirs, files in sorted(os.walk(root)):
            skipped = _NEVER_PACKAGED | (_ROOT_ONLY if folder == root else set())
            dirs[:] = sorted(d for d in dirs if d not in skipped)
            for name in sorted(files):
                if name.endswith((".py", ".toml")):
                    with open(os.path.join(folder, name), "rb") as f:
                        digest.update(name.encode() + f.read())
    return digest.hexdigest()


def clean_env(**extra):
    """The environment both implementations run in: no JUG_* settings leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUG_")}
    for name in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONMALLOC"):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    env.update(extra)
    return env


def fresh_dir(path):
    if os.path.lexists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def remove(path):
    if os.path.lexists(path):
        shutil.rmtree(path)


JUGFILE_TEMPLATE = '''\
from jug import TaskGenerator


@TaskGenerator
def f(i):
    return i


results = [f(i) for i in range({n})]
'''


def write_jugfile(folder, n, name="benchjug"):
    """A jugfile of ``n`` trivial tasks; returns its path."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.py")
    with open(path, "w") as f:
        f.write(JUGFILE_TEMPLATE.format(n=n))
    return path


def jug_cmd(impl, command, jugfile, jugdir, *extra):
    return [impl.jug, command, jugfile, "--jugdir", jugdir, "--will-cite", *extra]


def run(cmd, cwd=None, env=None, timeout=3600):
    """Run ``cmd``; returns (wall seconds, CompletedProcess with text output).
    ``proc.cpu_seconds`` is the user+system time of the command and its
    children: steadier than wall time when the machine is busy."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env or clean_env(), capture_output=True, text=True,
                          timeout=timeout)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc.cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, proc


def describe_failure(impl, cmd, proc):
    out = (proc.stdout or "")[-2000:]
    err = (proc.stderr or "")[-4000:]
    return (f"{impl.label}: `{' '.join(cmd)}` exited {proc.returncode}\n"
            f"--- stdout (tail) ---\n{out}\n--- stderr (tail) ---\n{err}")


def run_ok(impl, cmd, cwd=None, env=None, expect_rc=0):
    """Run and insist on exit code ``expect_rc``; returns (wall, proc)."""
    wall, proc = run(cmd, cwd=cwd, env=env)
    if proc.returncode != expect_rc:
        raise BenchError(describe_failure(impl, cmd, proc))
    return wall, proc


def table_total(stdout, column=0):
    """The number in ``column`` of the 'Total' line of a jug summary table."""
    for line in stdout.splitlines():
        parts = line.split()
        if parts and parts[-1] == "Total":
            try:
                return int(parts[column])
            except (ValueError, IndexError):
                return None
    return None


def verify_check(impl, jugfile, jugdir, cwd):
    """`jug check` must exit 0 (all tasks complete) with this implementation."""
    run_ok(impl, jug_cmd(impl, "check", jugfile, jugdir), cwd=cwd)


def count_result_files(jugdir):
    n = 0
    for entry in os.scandir(jugdir):
        if entry.is_dir() and len(entry.name) == 2:
            n += sum(1 for _ in os.scandir(entry.path))
    return n


def result_keys(jugdir):
    keys = set()
    for entry in os.scandir(jugdir):
        if entry.is_dir() and len(entry.name) == 2:
            keys.update(entry.name + e.name for e in os.scandir(entry.path))
    return keys


def scenario_jugfile(name, quick, quick_n, full_n):
    """(n, jugfile): the scenario's size and its n-task jugfile on tmpfs."""
    n = quick_n if quick else full_n
    return n, write_jugfile(os.path.join(TMPFS_BASE, f"{name}-jugfile"), n)


def scenario_dirs(name):
    """{implementation: its own jugdir on tmpfs} for scenario ``name``."""
    return {OURS: os.path.join(TMPFS_BASE, f"{name}-ours"), JUG27: os.path.join(TMPFS_BASE, f"{name}-jug27")}


def pair_rows(label, reps, fn_ours, fn_jug, make_rows):
    """Measure both implementations; ``make_rows(ours, theirs)`` turns the runs into
    table rows, or the scenario gets one error row when a run failed."""
    try:
        ours, theirs = measure_pair(reps, fn_ours, fn_jug)
    except BenchError as e:
        return [error_row(label, str(e))]
    return make_rows(ours, theirs)


def measure_pair(reps, fn_ours, fn_jug):
    """Call each function ``reps`` times, alternating which goes first.
    Returns (list of ours results, list of Jug results)."""
    ours, theirs = [], []
    for r in range(reps):
        if r % 2 == 0:
            ours.append(fn_ours())
            theirs.append(fn_jug())
        else:
            theirs.append(fn_jug())
            ours.append(fn_ours())
    return ours, theirs


def measure_rounds(reps, fns):
    """Like measure_pair for any number of functions: round r starts with
    function r mod len(fns).  Returns one list of results per function."""
    results = [[] for _ in fns]
    for r in range(reps):
        for k in range(len(fns)):
            i = (r + k) % len(fns)
            results[i].append(fns[i]())
    return results


RECORDS_COST_ROUNDS = 15  # pairs of runs: the machine's drift between two runs is what we must see through
RECORDS_COST_AT_MOST = 0.05


def records_cost_row(label, run_with, run_without, rounds):
    """A row (info) for what run records cost whole runs: ``run_with()`` and
    ``run_without()`` (our `jug execute` with and without --no-run-records;
    each returns its wall seconds) run back to back, ``rounds`` times,
    alternating which goes first; the median of the pairs' ratios.  On a
    shared machine, runs a second apart still differ by more than records
    cost: records_in_process_row measures it, this row shows the runs."""
    ratios = []
    with_s, without_s = [], []
    for r in range(rounds):
        pair = (run_with, run_without) if r % 2 == 0 else (run_without, run_with)
        first, second = pair[0](), pair[1]()
        w, wo = (first, second) if r % 2 == 0 else (second, first)
        with_s.append(w)
        without_s.append(wo)
        ratios.append(w / wo)
    cost = statistics.median(ratios) - 1
    row = Row(f"{label}: whole runs with and without records [median of {rounds} paired ratios]",
              f"{min(with_s):.3f} s", f"without {min(without_s):.3f} s", f"{cost:+.1%}", "(info)", "info")
    row.notes.append(f"ours with records vs ours --no-run-records (best of each: {min(with_s):.3f} s / "
                     f"{min(without_s):.3f} s); ratios {', '.join(f'{x:.3f}' for x in sorted(ratios))}")
    return row


def records_in_process_row(label, jugdir, n, run_seconds, run_tasks, prepare=lambda: None):
    """The row of the records' cost target: what they add to each task inside
    one worker (records_cost.py: chunks of tasks with and without, in turn,
    each chunk's queued records written within its time), with our python on
    ``jugdir`` (emptied by ``prepare()`` first), as a share of the scenario's
    whole run (``run_tasks`` tasks in ``run_seconds``, with records)."""
    prepare()
    _, proc = run_ok(OURS, [OURS.python, os.path.join(BENCH_DIR, "records_cost.py"), jugdir, str(n)],
                     env=clean_env(JUG_NO_PROGRESS="1"))
    found = json.loads(proc.stdout)
    per_task = found["without_us"] * (found["median_ratio"] - 1) * 1e-6
    added = per_task * run_tasks
    cost = added / (run_seconds - added)
    row = Row(f"{label}: run records cost [{found['pairs']} chunk pairs in one worker]", f"+{per_task * 1e6:.2f} us/task",
              f"run {run_seconds:.3f} s", f"{cost:+.1%}", f"<= +{RECORDS_COST_AT_MOST:.0%}",
              "PASS" if cost <= RECORDS_COST_AT_MOST else "FAIL")
    row.notes.append(f"{n} tasks through jugcore's Worker, records on and off every few hundred tasks: "
                     f"median ratio {found['median_ratio']:.3f} of {found['without_us']:.1f} us/task; the run "
                     f"without them would take {run_seconds - added:.3f} s")
    return row


def summarise(values, how):
    return min(values) if how == "best" else statistics.median(values)


# --- the report -------------------------------------------------------------

@dataclass
class Row:
    scenario: str
    ours: str = "-"
    theirs: str = "-"
    ratio: str = "-"
    target: str = "-"
    result: str = "-"
    notes: list = field(default_factory=list)


def time_row(scenario, ours_s, theirs_s, min_ratio=None, how="best of 3"):
    """A row comparing two times; ratio = Jug / ours; PASS when ratio >= min_ratio."""
    ratio = theirs_s / ours_s if ours_s > 0 else float("inf")
    if min_ratio is None:
        target, result = "(none)", "info"
    else:
        target = f">= {min_ratio:g}x"
        result = "PASS" if ratio >= min_ratio else "FAIL"
    return Row(f"{scenario} [{how}]", f"{ours_s:.3f} s", f"{theirs_s:.3f} s", f"{ratio:.2f}x", target, result)


def error_row(scenario, message):
    return Row(scenario, "ERROR", "-", "-", "-", "ERROR", [message])


HEADERS = ("scenario", "ours", "Jug 2.7", "Jug/ours", "target", "result")


def format_table(rows):
    cells = [HEADERS] + [(r.scenario, r.ours, r.theirs, r.ratio, r.target, r.result) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    lines = []
    for i, c in enumerate(cells):
        lines.append("  ".join(
            (c[j].ljust(widths[j]) if j == 0 else c[j].rjust(widths[j])) for j in range(len(HEADERS))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_notes(rows):
    out = []
    for r in rows:
        for note in r.notes:
            out.append(f"* {r.scenario}: {note}")
    return "\n".join(out)


def machine_line():
    import platform
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{platform.node()} | {os.cpu_count()} cores | {cpu} | Python {platform.python_version()} | "
            f"tmpfs={TMPFS_BASE} disk={DISK_BASE} | {load_line()}")


def load_line():
    """The load average: other work on the machine makes every timing noisy."""
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average ?"


def warm_up():
    """Run each implementation once on a tiny jugfile so that bytecode caches
    (PYCACHE) and the OS file cache are warm before anything is timed."""
    folder = fresh_dir(os.path.join(TMPFS_BASE, "warmup"))
    jugfile = write_jugfile(folder, 10)
    for impl in IMPLS:
        jugdir = os.path.join(folder, impl.label.replace(" ", "") + ".jugdata")
        for command in ("execute", "status", "check"):
            run_ok(impl, jug_cmd(impl, command, jugfile, jugdir), cwd=folder)
        run_ok(impl, jug_cmd(impl, "execute", jugfile, "dict_store"), cwd=folder)
        run_ok(impl, [impl.python, os.path.join(BENCH_DIR, "graph_hash.py"), "10", folder], cwd=folder)
    remove(folder)


def standalone(run_fn):
    """`python bench/sN_x.py [--quick]`: run one scenario and print its rows."""
    quick = "--quick" in sys.argv[1:]
    ensure_ours()
    ensure_jug27()
    warm_up()
    rows = run_fn(quick)
    print(format_table(rows))
    notes = format_notes(rows)
    if notes:
        print("\n" + notes)
    return rows
