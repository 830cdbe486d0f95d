#!/bin/sh
# Run every benchmark (bench/<area>/run.sh BUILD_DIR) against the release build.
# Results and how to read them: docs/PERFORMANCE.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
for s in "$root"/bench/*/run.sh; do
    echo "== $(basename "$(dirname "$s")")"
    sh "$s" "$build"
done
