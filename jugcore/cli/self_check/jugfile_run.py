"""A small jugfile run end to end on one jugdir by real `jug` processes:
execute (two workers where the store is shared), check, the result, and a
second execute that finds everything done."""
import os
import subprocess
import sys

from jugcore.cli.self_check.folder import inside
from jugcore.cli.self_check.outcome import FAIL, PASS, SKIP, Outcome
from jugcore.redact import redact
from jugcore.stores.self_check import fresh_jugdir, remove_leftovers

__all__ = ["run_jugfile"]

JUGFILE = '''\
from jug import TaskGenerator, barrier, bvalue


@TaskGenerator
def square(x):
    return x * x


@TaskGenerator
def add_up(numbers):
    return sum(numbers)


@TaskGenerator
def write_down(total):
    with open("total.txt", "w") as out:
        out.write(str(total))


total = add_up([square(i) for i in range(10)])
barrier()
write_down(bvalue(total))
'''
EXPECTED = "285"  # 0 + 1 + 4 + ... + 81


def run_jugfile(app, check, backend, folder):
    """The Outcome of the jugfile's run on ``check``'s jugdir, in ``folder``."""
    if "persistence" in check.unsupported:
        return Outcome(SKIP, "its results live in one process only; the run takes several")
    jugdir = fresh_jugdir(check.jugdir)
    with open(os.path.join(folder, "jugfile.py"), "w") as f:
        f.write(JUGFILE)
    workers = ["-j", "2"] if backend.shared_between_processes else []
    try:
        return _run(folder, jugdir, workers)
    finally:
        with inside(folder):
            remove_leftovers(app, jugdir)


def _run(folder, jugdir, workers):
    result = os.path.join(folder, "total.txt")
    steps = (("jug execute", ["execute", *workers]), ("jug check", ["check"]))
    for name, args in steps:
        failed = _jug(folder, jugdir, args)
        if failed:
            return Outcome(FAIL, f"{name} {failed}")
    with open(result) as f:
        found = f.read()
    if found != EXPECTED:
        return Outcome(FAIL, f"the jugfile computed {found!r}, not {EXPECTED!r}")
    os.remove(result)
    failed = _jug(folder, jugdir, ["execute"])
    if failed or os.path.exists(result):
        return Outcome(FAIL, f"a second jug execute ran tasks again {failed or '(results not found)'}")
    return Outcome(PASS, f"12 tasks across a barrier{' by 2 workers' if workers else ''}, checked, "
                         "found done by a second run")


def _jug(folder, jugdir, args):
    """'' if `jug ARGS jugfile.py --jugdir JUGDIR` exits 0, else what went wrong."""
    done = subprocess.run([sys.executable, "-m", "jugcore", *args, "jugfile.py", "--jugdir", jugdir],
                          cwd=folder, capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or [""]
    return f"exited {done.returncode}: {redact(last[0])}"
