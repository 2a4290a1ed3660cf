#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite.  CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh pytest numpy ipython

# install_missing COMMAND PACKAGE CONSEQUENCE: on Debian/Ubuntu as root, apt-get PACKAGE
# when COMMAND is not on PATH; elsewhere (or when that fails) say what follows.
install_missing() {
    command -v "$1" >/dev/null && return
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get install -y -qq "$2" >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; } && return
    fi
    echo "could not install $2; $3" >&2
}
install_missing dot graphviz "the tests that render \`jug graph\` with Graphviz's dot will fail"
install_missing redis-server redis-server "the Redis tests will skip (or fail under CI)"
install_missing chromium chromium "the browser test of \`jug webstatus\` will skip (or fail under CI)"
exec .venv/bin/python -m pytest "$@"
