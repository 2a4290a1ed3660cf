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
# The Redis store's tests need a redis-server (they skip without one, except under CI).
if ! command -v redis-server >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq redis-server >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; } ||
        echo "could not install redis-server; the Redis tests will skip (or fail under CI)" >&2
fi
# jug-slurm's tests start a one-node Slurm cluster of their own (they skip without one, except under CI).
if ! { command -v slurmctld && command -v slurmd && command -v sbatch && command -v munged; } >/dev/null &&
        [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    slurm=(slurmctld slurmd slurm-client munge)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${slurm[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${slurm[@]}" >/dev/null; } ||
        echo "could not install Slurm; the jug-slurm tests will skip (or fail under CI)" >&2
fi
exec .venv/bin/python -m pytest "$@"
