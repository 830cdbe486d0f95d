#!/bin/sh
# Throughput of the `embargo check` input layer (docs/PERFORMANCE.md,
# "check input layer"). Builds the release preset, links
# bench/check-input/input_throughput.c against its libraries and runs it.
#   usage: bench/check-input/run.sh [BUILD_DIR [MB]]
# (built by hand, not by bench/CMakeLists.txt, because it links cmark-gfm for comparison)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --preset release >/dev/null
cmake --build build/release -j2 >/dev/null
out=build/release/bench_check_input
# Debian 12 libcmark-gfm.pc names a missing -lcmark-gfm-extensions: link the core alone.
# shellcheck disable=SC2046
cc -std=gnu17 -O2 -DNDEBUG -I src -o "$out" bench/check-input/input_throughput.c \
    build/release/src/check/libemb_check.a build/release/src/formats/libemb_formats.a \
    build/release/src/util/libemb_util.a \
    -lcmark-gfm $(pkg-config --cflags --libs jansson libxml-2.0 libhs)
"$out" "${2:-48}"
