#!/bin/sh
# Version comparison benchmark over the shared fixtures (needs ../shared).
# Usage: bench/version/run.sh [BUILD_DIR]   (default build/release, built if missing)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
if [ ! -x "$build/bench/bench_version" ]; then
    cmake --preset release -S "$root" >/dev/null
    cmake --build "$build" -j2 --target bench_version >/dev/null
fi
"$build/bench/bench_version"
