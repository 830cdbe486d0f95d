#!/bin/sh
# Store benchmark at growing sizes (docs/PERFORMANCE.md, "## store").
# usage: bench/store/run.sh [BUILD_DIR] [SIZES]   e.g. SIZES="10000 100000 1000000"
set -eu
build=${1:-build/release}
sizes=${2:-"10000 100000"}
for n in $sizes; do
    d=$(mktemp -d "${TMPDIR:-/tmp}/emb-bench-store-XXXXXX")
    "$build/bench/bench_store" "$d" "$n" 200 400 4
    echo "cases $n: database $(du -sh "$d" | cut -f1)"
    EMBARGO_SQLITE_SYNCHRONOUS=NORMAL "$build/bench/bench_store" "$d/normal" "$n" 200 400 4 \
        2>/dev/null | sed 's/^/synchronous=NORMAL /' || true
    rm -rf "$d"
done
