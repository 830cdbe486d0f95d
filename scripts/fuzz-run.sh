#!/bin/sh
# Run every libFuzzer binary in BUILD/fuzz for SECONDS each, starting from a copy
# of its seed corpus (fuzz/corpus/<name>) so the repository is not modified.
# Exits non-zero if any target finds a crash; the crashing input is left in
# BUILD/fuzz-findings/<name>/ to be added to the corpus with its fix.
set -eu
build=${1:?usage: fuzz-run.sh BUILD SECONDS}
secs=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for bin in "$build"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin" | sed 's/^fuzz_//')
    work="$build/fuzz-work/$name"
    findings="$build/fuzz-findings/$name"
    rm -rf "$work"
    mkdir -p "$work" "$findings"
    [ -d "$root/fuzz/corpus/$name" ] && cp -r "$root/fuzz/corpus/$name/." "$work/"
    dict=""
    [ -f "$root/fuzz/$name.dict" ] && dict="-dict=$root/fuzz/$name.dict"
    echo "fuzz: $name for ${secs}s"
    # shellcheck disable=SC2086
    if ! "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=0 $dict "$work" \
        >"$build/fuzz-$name.log" 2>&1; then
        echo "fuzz: $name FAILED; see $build/fuzz-$name.log and $findings" >&2
        tail -40 "$build/fuzz-$name.log" >&2
        status=1
    fi
done
exit $status
