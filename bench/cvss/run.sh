#!/bin/sh
# CVSS benchmark: build the release preset, compile bench_cvss.c against
# its libraries, run it. Usage: bench/cvss/run.sh [BUILD_DIR]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
if [ "$build" = "$root/build/release" ]; then
    cmake --preset release -S "$root" >/dev/null
    cmake --build "$build" -j2 --target emb_formats emb_util >/dev/null
fi
out="$build/bench_cvss"
# shellcheck disable=SC2046
cc -std=c17 -O2 -D_GNU_SOURCE -I"$root/src" "$root/bench/cvss/bench_cvss.c" \
    "$build/src/formats/libemb_formats.a" "$build/src/util/libemb_util.a" \
    $(pkg-config --libs jansson) -o "$out"
"$out"
