#!/usr/bin/env bash
# Creates .venv with jugcore and its plugins installed from this checkout (editable).
# Usage: scripts/setup-venv.sh [extra pip packages...]
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; assert sys.version_info >= (3, 9)' 2>/dev/null; then
    echo "jugcore needs Python 3.9 or newer as '$python' (set PYTHON=...)" >&2
    exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
    if ! "$python" -m venv .venv 2>/dev/null; then
        # Debian and Ubuntu ship venv separately.
        if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
            rm -rf .venv && "$python" -m venv .venv
        else
            echo "cannot create a venv: install python3-venv (sudo apt-get install python3-venv)" >&2
            exit 1
        fi
    fi
fi
# Reinstall only when a pyproject.toml or the extra packages changed.
stamp=$(cat pyproject.toml plugins/*/pyproject.toml examples/plugins/*/pyproject.toml <(echo "$@") | sha1sum | cut -c1-40)
if [[ "$(cat .venv/.jugcore-installed 2>/dev/null)" != "$stamp" ]]; then
    log=$(mktemp)
    if ! .venv/bin/python -m pip install -q --disable-pip-version-check \
            -e . -e plugins/jug_file -e plugins/jug_dictstore -e plugins/jug_keepalive -e plugins/jug_redis -e plugins/jug_shell -e plugins/jug_slurm -e plugins/pytest_jug -e examples/plugins/jug_sqlite "$@" >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    rm -f "$log"
    echo "$stamp" > .venv/.jugcore-installed
fi
.venv/bin/jug --version >/dev/null
