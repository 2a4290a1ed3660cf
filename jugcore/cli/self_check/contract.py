"""The store contract on one jugdir: pytest-jug's suite in a child pytest
where pytest-jug is installed, else the short check of
:func:`jugcore.stores.self_check.quick_contract` in this process."""
import json
import os
import subprocess
import sys
from importlib.util import find_spec
from typing import Callable, NamedTuple

from jugcore.cli.self_check.folder import inside
from jugcore.cli.self_check.outcome import FAIL, PASS, Outcome
from jugcore.redact import redact
from jugcore.stores.self_check import QuickCheckFailed, fresh_jugdir, quick_contract, remove_leftovers

__all__ = ["contract_runner"]



class _Runner(NamedTuple):
    name: str  # for the header line
    run: Callable  # run(app, check, folder) -> Outcome


def contract_runner(quick):
    """The full suite where pytest-jug is installed (unless ``quick``), else the short check."""
    if not quick and find_spec("pytest") is not None and find_spec("pytest_jug") is not None:
        return _Runner("pytest-jug's store contract suite", lambda app, check, folder: _full_suite(check, folder))
    hint = "" if quick else " (pip install pytest-jug for the full store contract)"
    return _Runner(f"a short built-in check{hint}", _quick)


def _quick(app, check, folder):
    jugdir = fresh_jugdir(check.jugdir)
    with inside(folder):  # a relative jugdir lands in the check's own folder
        try:
            checked = quick_contract(lambda: app.open_store(jugdir), check.unsupported)
        except QuickCheckFailed as e:
            return Outcome(FAIL, f"broken promise: {e}")
        finally:
            remove_leftovers(app, jugdir)
    return Outcome(PASS, f"{checked} promises kept (short check)")


def _full_suite(check, folder):
    report = os.path.join(folder, "report.xml")
    ini = os.path.join(folder, "pytest.ini")
    with open(ini, "w") as f:
        f.write("[pytest]\n")  # this folder's, not whatever project holds the suite's file
    env = dict(os.environ, JUG_SELF_CHECK_JUGDIR=check.jugdir,
               JUG_SELF_CHECK_UNSUPPORTED=json.dumps(check.unsupported))
    suite = find_spec("pytest_jug.self_check_suite").origin
    command = [sys.executable, "-m", "pytest", suite, "-q", "-c", ini, "--rootdir", folder,
               "-p", "no:cacheprovider", f"--basetemp={os.path.join(folder, 'tmp')}", f"--junitxml={report}"]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    output = redact(done.stdout + done.stderr)
    try:
        counts, failed = _read_report(report)
    except (OSError, ValueError) as e:
        last = output.strip().splitlines()[-1:] or [f"no report ({e})"]
        return Outcome(FAIL, f"pytest did not run the suite: {last[0]}", output)
    summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    if failed or done.returncode != 0:
        return Outcome(FAIL, f"{summary}: {', '.join(failed[:5])}{', ...' if len(failed) > 5 else ''} "
                             "(--verbose shows pytest's report)", output)
    return Outcome(PASS, summary, output)


def _read_report(path):
    """({passed, failed, skipped: count}, names of the failed tests) from pytest's JUnit XML."""
    import xml.etree.ElementTree as ElementTree

    try:
        cases = ElementTree.parse(path).getroot().iter("testcase")
    except ElementTree.ParseError as e:
        raise ValueError(str(e))
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    failed = []
    for case in cases:
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            counts["failed"] += 1
            failed.append(case.get("name"))
        elif "skipped" in kinds:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return counts, failed
