"""Record Jug 2.7.0's task keys for every case in hash_cases.py, api_cases.py and shared_cases.py.

Run with the Python of a venv where the real Jug 2.7.0 is installed::

    ~/.cache/jugcore/jug27/bin/python tests/golden/make_hash_vectors.py [--cases api_cases]

The keys are computed in several child processes, each with a different
PYTHONHASHSEED, and the file is only written when all of them agree: a key
that moves with hash randomization would be useless as a golden vector.
Output: hash_vectors.json / api_vectors.json / shared_vectors.json next to this script (sorted
keys, stable layout).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUTS = {"hash_cases": HERE / "hash_vectors.json", "api_cases": HERE / "api_vectors.json",
           "shared_cases": HERE / "shared_vectors.json"}
SEEDS = ("0", "1", "31337")
EXPECTED_JUG = "2.7.0"


def compute(cases_module):
    """{case: hex key} under the jug importable here (must be Jug 2.7.0)."""
    sys.path.insert(0, str(HERE))
    import jug
    import numpy

    if getattr(jug, "__version__", None) != EXPECTED_JUG or "jugcore" in sys.modules:
        raise SystemExit(
            f"expected the real Jug {EXPECTED_JUG}, got jug {getattr(jug, '__version__', '?')} "
            f"from {jug.__file__}"
        )
    import importlib

    module = importlib.import_module(cases_module)
    vectors = {name: module.key_of(obj).decode("ascii") for name, obj in module.cases().items()}
    return {
        "generator": f"jug {jug.__version__}",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "vectors": vectors,
    }


def render(doc):
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emit", action="store_true",
                        help="compute once in this process and print the JSON (no file written)")
    parser.add_argument("--cases", choices=sorted(OUTPUTS), action="append",
                        help="the case module(s) to record (default: all)")
    args = parser.parse_args()
    for cases_module in args.cases or sorted(OUTPUTS):
        if args.emit:
            sys.stdout.write(render(compute(cases_module)))
            continue
        status = record(cases_module)
        if status:
            return status
    return 0


def record(cases_module):
    """Compute under every seed; write OUTPUTS[cases_module] if all agree."""
    runs = {}
    for seed in SEEDS:
        env = dict(os.environ, PYTHONHASHSEED=seed)
        env.pop("PYTHONPATH", None)  # never pick up the project's own `jug`
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--emit", "--cases", cases_module],
                              env=env, capture_output=True, text=True, cwd=str(HERE))
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return proc.returncode
        runs[seed] = json.loads(proc.stdout)

    first = runs[SEEDS[0]]
    unstable = sorted(
        name for name in first["vectors"]
        if len({run["vectors"].get(name) for run in runs.values()}) != 1
    )
    if unstable:
        sys.stderr.write("keys differ between PYTHONHASHSEED values; remove these cases "
                         f"from {cases_module}.py:\n  " + "\n  ".join(unstable) + "\n")
        return 1
    OUTPUTS[cases_module].write_text(render(first))
    print(f"wrote {len(first['vectors'])} vectors to {OUTPUTS[cases_module]} "
          f"(identical under PYTHONHASHSEED={', '.join(SEEDS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
