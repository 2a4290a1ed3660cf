#!/usr/bin/env bash
# Builds a wheel of every distribution in this repository (jugcore, its
# plugins, pytest-jug and the example plugins) into dist/, so that
#     pip install --find-links dist jugcore jug-redis
# works without a package index that knows our names (the index still
# serves click, pluggy, redis, ...).
# Usage: scripts/wheels.sh [OUTDIR]      (PYTHON=... picks the python whose pip builds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/dist}")
python=${PYTHON:-python3}
# Every folder with a pyproject.toml: the core, plugins/*, examples/plugins/*.
distributions=()
for folder in "$root" "$root"/plugins/*/ "$root"/examples/plugins/*/; do
    folder=${folder%/}
    if [[ -f "$folder/pyproject.toml" ]]; then distributions+=(".${folder#"$root"}"); fi
done

# Build from a copy: setuptools leaves build/ and *.egg-info in the folder it builds.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$root" --exclude=.git --exclude=.venv --exclude=./build --exclude=./dist --exclude='*.egg-info' \
    --exclude=__pycache__ --exclude='*.jugdata' --exclude=.pytest_cache --exclude=./wheelhouse -cf - . \
    | tar -C "$work" -xf -
mkdir -p "$out"
(cd "$work" && "$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$out" "${distributions[@]}")
ls "$out"/*.whl
