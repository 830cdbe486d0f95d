#!/bin/sh
# CVSS benchmark: vectors parsed and scored per second, per version.
# Usage: bench/cvss/run.sh [BUILD_DIR]   (default build/release, built if missing)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
if [ ! -x "$build/bench/bench_cvss" ]; then
    cmake --preset release -S "$root" >/dev/null
    cmake --build "$build" -j2 --target bench_cvss >/dev/null
fi
"$build/bench/bench_cvss"
