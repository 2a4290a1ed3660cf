#!/usr/bin/env bash
# Sets everything up, then runs examples/primes.py with two workers and shows its status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh
cd examples
rm -rf primes.jugdata
../.venv/bin/jug execute primes.py -j 2
../.venv/bin/jug status primes.py
../.venv/bin/python show_primes.py
