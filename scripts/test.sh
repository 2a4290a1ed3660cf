#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite.  CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh pytest numpy ipython
# `jug graph` is tested rendering with Graphviz's real `dot` (Debian/Ubuntu as root: installed here).
if ! command -v dot >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq graphviz >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; } ||
        echo "could not install graphviz; the tests that render with dot will fail" >&2
fi
# `jug webstatus` is tested in a real headless Chromium (Debian's package is `chromium`).
if ! command -v chromium >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq chromium >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } ||
        echo "could not install chromium; the browser test of jug webstatus will fail" >&2
fi
# The Redis store's tests need a redis-server (they skip without one, except under CI).
if ! command -v redis-server >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq redis-server >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; } ||
        echo "could not install redis-server; the Redis tests will skip (or fail under CI)" >&2
fi
exec .venv/bin/python -m pytest "$@"
