#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite.  CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh pytest numpy ipython

# install_missing "COMMANDS" "PACKAGES" CONSEQUENCE: on Debian/Ubuntu as root, apt-get the
# PACKAGES when one of the COMMANDS is not on PATH; elsewhere (or when that fails) say what follows.
install_missing() {
    local command missing=
    for command in $1; do command -v "$command" >/dev/null || missing=yes; done
    [[ -z $missing ]] && return
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        # shellcheck disable=SC2086  # PACKAGES is a list
        apt-get install -y -qq $2 >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq $2 >/dev/null; } && return
    fi
    echo "could not install $2; $3" >&2
}
install_missing dot graphviz "the tests that render \`jug graph\` with Graphviz's dot will fail"
install_missing redis-server redis-server "the Redis tests will skip (or fail under CI)"
install_missing chromium chromium "the browser test of \`jug webstatus\` will skip (or fail under CI)"
# jug-slurm's tests start a one-node Slurm cluster of their own.
install_missing "slurmctld slurmd sbatch munged" "slurmctld slurmd slurm-client munge" \
    "the jug-slurm tests will skip (or fail under CI)"
# \`jug --print-completion\` scripts are checked by each shell's own parser.
install_missing "zsh fish" "zsh fish" "the zsh and fish completion checks will skip"
exec .venv/bin/python -m pytest "$@"
