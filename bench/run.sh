#!/bin/sh
# Run every benchmark (bench/<area>/run.sh) against the release build; the
# check benchmark generates its own 512 MB corpus under /tmp first, and the
# store and import benchmarks use their default sizes (up to 1 M cases: long).
# Results and how to read them: docs/PERFORMANCE.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
for s in "$root"/bench/*/run.sh; do
    area=$(basename "$(dirname "$s")")
    echo "== $area"
    case $area in
    check) sh "$s" ;;      # takes a corpus directory, not a build directory
    *) sh "$s" "$build" ;;
    esac
done
