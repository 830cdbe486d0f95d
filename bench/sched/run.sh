#!/bin/sh
# Scheduler rounds at growing sizes (docs/PERFORMANCE.md, "## scheduler"), then the
# reference: the disk's floor for durable commits, plain SQLite with the same pragmas.
# usage: bench/sched/run.sh [BUILD_DIR] [SIZES]
set -eu
build=${1:-build/release}
sizes=${2:-"1000 10000"}
for n in $sizes; do
    d=$(mktemp -d "${TMPDIR:-/tmp}/emb-bench-sched-XXXXXX")
    "$build/bench/bench_sched" "$d" "$n" 2>/dev/null
    rm -rf "$d"
done
d=$(mktemp -d "${TMPDIR:-/tmp}/emb-bench-ref-XXXXXX")
python3 - "$d/ref.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
t = time.monotonic()
for i in range(200):
    db.execute("BEGIN IMMEDIATE"); db.execute("INSERT INTO t (v) VALUES (?)", (b"x" * 2048,))
    db.execute("COMMIT")
print("reference: plain sqlite3 (WAL, FULL): %.1f commits/s" % (200 / (time.monotonic() - t)))
PY
rm -rf "$d"
