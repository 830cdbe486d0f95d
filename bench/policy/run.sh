#!/usr/bin/env bash
# Policy engine benchmark (docs/PERFORMANCE.md "## policy engine").
# Usage: bench/policy/run.sh   (from the repository root; builds the release preset)
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --preset release >/dev/null
cmake --build build/release -j2 --target emb_core emb_util embargo >/dev/null
out=build/release/bench_policy
cc -std=c17 -O2 -DNDEBUG -D_GNU_SOURCE -Isrc bench/policy/bench_policy.c \
    build/release/src/core/libemb_core.a build/release/src/util/libemb_util.a \
    $(pkg-config --libs jansson) -o "$out"
"$out" docs/examples/policy/publish-allowed.json
# Whole-process cost of one `embargo policy decide` (start, read, parse, decide, print).
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 20 --runs 300 \
        "build/release/embargo policy decide --input docs/examples/policy/publish-allowed.json" 2>/dev/null |
        sed -n '1,3p'
fi
