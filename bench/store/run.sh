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
    mkdir "$d/normal"
    EMBARGO_SQLITE_SYNCHRONOUS=NORMAL "$build/bench/bench_store" "$d/normal" "$n" 200 400 4 \
        2>/dev/null | sed 's/^/synchronous=NORMAL: /'
    rm -rf "$d"
done
# Reference: the floor set by the disk, plain SQLite (Python's sqlite3 module)
# committing 200 one-row transactions with the same pragmas (WAL, FULL).
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
