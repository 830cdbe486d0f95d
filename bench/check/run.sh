#!/bin/bash
# Throughput of `embargo check` beside cat and ripgrep (same bytes, same
# patterns, byte mode), over a generated corpus of >= 500 MB of mixed
# Chinese/English Markdown; then -j scaling, memory against corpus size and
# where the time goes. Run from the repository root after
#   cmake --preset release && cmake --build build/release -j2
# usage: bench/check/run.sh [DIR] [MB]     (DIR default /tmp/embargo-bench-check)
# env:   RUNS (default 3) rounds of the three tools, interleaved;
#        EMBARGO (default build/release/embargo); STAGES (default
#        build/release/bench/bench_check_stages, skipped if absent);
#        MEMORY=0 skips the memory-against-size runs.
set -eu
DIR=${1:-/tmp/embargo-bench-check}
MB=${2:-512}
E=${EMBARGO:-build/release/embargo}
S=${STAGES:-build/release/bench/bench_check_stages}
RUNS=${RUNS:-3}
[ -d "$DIR" ] || python3 bench/check/gen.py "$DIR" "$MB"
BYTES=$(du -sbL "$DIR" | cut -f1)
PATS=$(mktemp)
T=$(mktemp -d)
trap 'rm -rf "$PATS" "$T"' EXIT
# The same expressions, as rg sees them: caseless rules get (?i), and the
# "(?:^|\n)" line anchors become "^" (rg matches line by line). embargo runs
# six of them (the IPv4, IPv6 and host-by-TLD expressions of live_target) as
# C finders that report exactly the same matches (src/check/find.c); rg gets
# those regexes as they are.
"$E" check --list-rules --format json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["disabled"]:
        continue
    for p in r["patterns"]:
        p = p.replace("(?:^|\\n)", "^")
        if "\\n" in p.replace("[^\\n]", ""):
            continue
        p = p.replace("[\"“]", "(?:\"|“)")
        # rg --no-unicode takes non-ASCII only as byte escapes (byte mode, as Vectorscan)
        p = "".join(c if ord(c) < 128 else "".join("\\x%02X" % b for b in c.encode()) for c in p)
        print(("(?i:%s)" if r["caseless"] else "(?:%s)") % p)
' >"$PATS"
echo "corpus: $DIR, $BYTES bytes, $(ls "$DIR" | wc -l) files; $(wc -l <"$PATS") patterns for rg"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$DIR"/* >/dev/null # warm the page cache
"$E" check -j 1 --format json "$DIR" >/dev/null || true # and the compiled-pattern cache

# label, command...: one line with wall time, CPU time (user+sys, the steadier
# figure on a shared machine) and max RSS
t() {
    local label=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$T/time" "$@" >/dev/null 2>&1 || true
    python3 - "$label" "$BYTES" "$T/time" <<'PY'
import sys
label, b = sys.argv[1], int(sys.argv[2])
e, u, s, m = open(sys.argv[3]).read().split()[-4:]
e, cpu = float(e), max(float(u) + float(s), 1e-3)
print("%-36s wall %6.2f s %7.1f MB/s   cpu %6.2f s %7.1f MB/s   rss %6.1f MiB" % (
    label, e, b / 1e6 / max(e, 1e-3), cpu, b / 1e6 / cpu, int(m) / 1024))
PY
}
for r in $(seq "$RUNS"); do
    echo "-- round $r"
    t "cat" sh -c "cat '$DIR'/* >/dev/null"
    t "embargo check -j1 --format json" "$E" check -j 1 --format json "$DIR"
    t "rg -j1 --no-unicode -c (same set)" rg -j1 --no-unicode -c -f "$PATS" "$DIR"
done
echo "-- threads (this machine has $(nproc) CPUs)"
for j in 1 2; do
    t "embargo check -j$j --format json" "$E" check -j "$j" --format json "$DIR"
done
t "rg -j2 --no-unicode -c (same set)" rg -j2 --no-unicode -c -f "$PATS" "$DIR"
link() { ln "$1" "$2" 2>/dev/null || cp "$1" "$2"; }
if [ "${MEMORY:-1}" != 0 ]; then
    # the same files linked into corpora of a quarter and twice the size
    echo "-- memory against corpus size (hard links to the same files)"
    n=$(ls "$DIR" | wc -l)
    mkdir -p "$T/q" "$T/d"
    ls "$DIR" | head -n $((n / 4)) | while read -r f; do link "$DIR/$f" "$T/q/$f"; done
    ls "$DIR" | while read -r f; do link "$DIR/$f" "$T/d/a-$f" && link "$DIR/$f" "$T/d/b-$f"; done
    for d in "$T/q" "$DIR" "$T/d"; do
        b=$(du -sbl "$d" | cut -f1)
        /usr/bin/time -f "%M" -o "$T/rss" "$E" check -j 1 --format json "$d" >/dev/null 2>&1 || true
        /usr/bin/time -f "%M" -o "$T/rss2" "$E" check -j 2 --format json "$d" >/dev/null 2>&1 || true
        awk -v b="$b" -v r1="$(cat "$T/rss")" -v r2="$(cat "$T/rss2")" \
            'BEGIN { printf "%6d MB: max RSS -j1 %6.1f MiB, -j2 %6.1f MiB\n", b / 1e6, r1 / 1024, r2 / 1024 }'
    done
fi
if [ -x "$S" ]; then
    echo "-- where the time goes (in process, best of 3 passes over the first 32 files)"
    mkdir -p "$T/s"
    ls "$DIR" | head -n 32 | while read -r f; do link "$DIR/$f" "$T/s/$f"; done
    "$S" "$T/s" 3
fi
