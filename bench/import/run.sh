#!/bin/sh
# Bulk import benchmark (docs/PERFORMANCE.md, "## bulk import").
# usage: bench/import/run.sh [BUILD_DIR] [SIZES]      e.g. SIZES="10000 50000 250000"
# For each size: generate N CVE 5 records with bench/formats/gen_cve5.py into
# a temporary directory (removed afterwards, never committed), import them
# into a fresh store with `embargo import --from cve5` and report wall time,
# records/s, peak RSS (/usr/bin/time -v, Debian package `time`) and database
# size. stderr is not a terminal here, so no progress bar is drawn.
set -eu
build=${1:-build/release}
sizes=${2:-"10000 50000 250000"}
E=$(cd "$build" && pwd)/embargo
G=$(cd "$(dirname "$0")/../formats" && pwd)/gen_cve5.py
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
echo "size    wall_s  records/s  cpu_s  peak_rss_MiB  db_MiB  summary"
for n in $sizes; do
    d=$(mktemp -d "${TMPDIR:-/tmp}/emb-bench-import-XXXXXX")
    python3 "$G" --count "$n" "$d/recs" >/dev/null
    (
        cd "$d"
        export EMBARGO_NOW=2026-03-01T10:00:00Z
        "$E" admin init >/dev/null
        start=$(date +%s.%N)
        /usr/bin/time -v -o time.txt "$E" import --from cve5 recs >out.txt 2>err.txt || {
            echo "import failed:" >&2; tail -5 err.txt >&2; exit 1; }
        end=$(date +%s.%N)
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
        usr=$(sed -n 's/.*User time (seconds): //p' time.txt)
        sys=$(sed -n 's/.*System time (seconds): //p' time.txt)
        db=$(du -cm var/embargo.db* | tail -1 | cut -f1)
        "$E" audit verify >verify.txt || { echo "audit verify failed" >&2; exit 1; }
        awk -v n="$n" -v s="$start" -v e="$end" -v rss="$rss" -v db="$db" -v sum="$(cat out.txt)" \
            -v cpu="$(echo "$usr $sys" | awk '{ print $1 + $2 }')" \
            'BEGIN { t = e - s; printf "%-7d %6.1f  %9.0f  %5.1f  %12.1f  %6d  %s\n", n, t, n / t, cpu, rss / 1024, db, sum }'
    )
    rm -rf "$d"
done
