#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite.  CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh pytest numpy ipython
# `jug graph` is tested rendering with Graphviz's real `dot` (Debian/Ubuntu as root: installed here).
if ! command -v dot >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq graphviz >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; }
fi
exec .venv/bin/python -m pytest "$@"
