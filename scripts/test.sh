#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite.  CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh pytest numpy ipython
exec .venv/bin/python -m pytest "$@"
