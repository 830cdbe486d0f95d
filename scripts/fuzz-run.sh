#!/bin/sh
# Run every libFuzzer binary in BUILD/fuzz for SECONDS each, JOBS at a time
# (default: the number of cores), starting from a copy of its seed corpus
# (fuzz/corpus/<name>) so the repository is not modified. Exits non-zero if
# any target finds a crash; the crashing input is left in
# BUILD/fuzz-findings/<name>/ to be added to the corpus with its fix.
# FUZZ_LONG (target names without fuzz_, space-separated) run for
# FUZZ_LONG_SECONDS instead, and start first so the jobs finish together:
# CI gives the parsers of `embargo check` about a minute (issue 2) and the
# others less, to keep .ci/run within its time budget.
#   usage: scripts/fuzz-run.sh BUILD SECONDS [JOBS]
set -eu
build=${1:?usage: fuzz-run.sh BUILD SECONDS [JOBS]}
secs=${2:-60}
jobs=${3:-$(nproc)}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${FUZZ_ONE:-}" != "" ]; then
    # Child mode: fuzz the one binary named by FUZZ_ONE.
    bin=$FUZZ_ONE
    name=$(basename "$bin" | sed 's/^fuzz_//')
    for l in ${FUZZ_LONG:-}; do
        [ "$l" = "$name" ] && secs=${FUZZ_LONG_SECONDS:-$secs}
    done
    work="$build/fuzz-work/$name"
    findings="$build/fuzz-findings/$name"
    rm -rf "$work"
    mkdir -p "$work" "$findings"
    [ -d "$root/fuzz/corpus/$name" ] && cp -r "$root/fuzz/corpus/$name/." "$work/"
    dict=""
    [ -f "$root/fuzz/$name.dict" ] && dict="-dict=$root/fuzz/$name.dict"
    # shellcheck disable=SC2086
    if "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 $dict "$work" \
        >"$build/fuzz-$name.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz-$name.log")
        echo "fuzz: $name: ${secs}s, ${runs:-?} runs, no finding"
        exit 0
    fi
    echo "fuzz: $name FAILED; see $build/fuzz-$name.log and $findings" >&2
    tail -40 "$build/fuzz-$name.log" >&2
    exit 1
fi

ls "$build"/fuzz/fuzz_* >/dev/null 2>&1 || { echo "fuzz: no targets in $build/fuzz" >&2; exit 1; }
rm -rf "$build/fuzz-findings"
# The long targets first, then the rest.
status=0
{
    for l in ${FUZZ_LONG:-}; do
        [ -x "$build/fuzz/fuzz_$l" ] && echo "$build/fuzz/fuzz_$l"
    done
    ls "$build"/fuzz/fuzz_* | while read -r b; do
        case " ${FUZZ_LONG:-} " in *" $(basename "$b" | sed 's/^fuzz_//') "*) ;; *) echo "$b" ;; esac
    done
} | xargs -P "$jobs" -I{} env FUZZ_ONE={} sh "$0" "$build" "$secs" || status=$?

# A summary last, on stdout: CI keeps only the tail of what a run prints, and
# the failing target's own lines scroll away among the others'. Each crashing
# input is printed as base64 (up to 4 KiB) so that it can be replayed from the
# CI log alone: `base64 -d > crash && build/fuzz/fuzz/fuzz_NAME crash`.
failed=""
for d in "$build"/fuzz-findings/*/; do
    [ -d "$d" ] || continue
    name=$(basename "$d")
    for f in "$d"*; do
        [ -f "$f" ] || continue
        failed="$failed $name"
        echo "fuzz: FAILED $name: $(basename "$f") ($(wc -c <"$f") bytes)"
        grep -m 1 -E '^SUMMARY|ERROR: libFuzzer|ERROR: AddressSanitizer|runtime error' \
            "$build/fuzz-$name.log" | sed 's/^/fuzz:   /'
        grep -m 12 -E '^ +#[0-9]+ ' "$build/fuzz-$name.log" | sed 's/^/fuzz:   /'
        head -c 4096 "$f" | base64 | sed 's/^/fuzz:   input /'
    done
done
if [ "$status" -ne 0 ] || [ -n "$failed" ]; then
    echo "fuzz: FAILED:${failed:- (a target exited with an error; see $build/fuzz-*.log)}"
    exit 1
fi
echo "fuzz: every target ran without a finding"
