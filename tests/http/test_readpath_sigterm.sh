#!/bin/bash
# SIGTERM to `embargo serve` while audited reads wait for their commit, end to
# end: another process holds the database's write lock (SQLite: BEGIN
# IMMEDIATE from Python's sqlite3; PostgreSQL: the transaction advisory lock
# every write transaction takes first, from psql), so the audit events of 8
# concurrent GET /api/v1/cases/{id} cannot commit. Then:
#  - not one byte of any reply arrives while the lock is held;
#  - SIGTERM: the server keeps running (the reads are in progress);
#  - the lock is released: every read is answered 200 with its case, with
#    Connection: close; the server exits 0;
#  - the chain holds one case.read event per answered read, and verifies.
# store backends: sqlite postgresql
. "$(dirname "$0")/lib.sh"
http_init readpath-sigterm
N=8

coord_store SECRET-SIGTERM
printf '[http]\nlog_requests = no\n' >serve.ini
serve_start -c serve.ini
req 201 POST /api/v1/cases "$TC" "$CASE"
ID=$(jget 'j["id"]')

count_reads() {
    if [ "$STORE_KIND" = postgresql ]; then
        q "SELECT count(*) FROM audit_events WHERE action = 'case.read' AND object = '$ID'"
        return
    fi
    "$PYTHON" - "$D/var/embargo.db" "$ID" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=10)
print(db.execute("SELECT count(*) FROM audit_events WHERE action = 'case.read' AND object = ?",
                 (sys.argv[2],)).fetchone()[0])
PY
}
before=$(count_reads)

# Hold the write lock until $D/go appears (at most 20 s).
if [ "$STORE_KIND" = postgresql ]; then
    # EMB_PG_WRITE_LOCK (src/store/pg/pg.h), in a transaction of a psql fed
    # through a FIFO; \! marks the lock as taken once the SELECT returned.
    mkfifo "$D/psql.in"
    store_psql "$STORE" -X -q -v ON_ERROR_STOP=1 <"$D/psql.in" >/dev/null &
    holder=$!
    exec 9>"$D/psql.in"
    printf 'BEGIN;\nSELECT pg_advisory_xact_lock(4993720504633873477);\n\\! touch %s\n' \
        "$D/held" >&9
    (for _ in $(seq 400); do [ -e "$D/go" ] && break; sleep 0.05; done
     printf 'COMMIT;\n' >&9) &
    releaser=$!
    exec 9>&-
else
    "$PYTHON" - "$D/var/embargo.db" "$D/held" "$D/go" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
for _ in range(400):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.05)
db.execute("COMMIT")
PY
    holder=$!
    releaser=
fi
for _ in $(seq 200); do [ -e "$D/held" ] && break; sleep 0.05; done
[ -e "$D/held" ] || fail "the write lock was not taken"

for i in $(seq $N); do
    curl -s -D "$D/h$i" -o "$D/b$i" -H "Authorization: Bearer $TC" "$URL/api/v1/cases/$ID" &
    pids="${pids:-} $!"
done
replies_held $N
sleep 0.3
for i in $(seq $N); do
    [ -s "$D/h$i" ] && fail "read $i was answered before its audit event could commit"
done
[ "$(count_reads)" = "$before" ] || fail "events committed while the lock was held"

kill -TERM "$PID"
sleep 0.5
kill -0 "$PID" 2>/dev/null || fail "the server exited with reads in progress"
touch "$D/go"
[ -n "$releaser" ] && wait "$releaser"
wait "$holder"
for p in $pids; do wait "$p"; done
for i in $(seq $N); do
    grep -q '^HTTP/1.1 200' "$D/h$i" || fail "read $i: $(head -1 "$D/h$i")"
    grep -qi '^Connection: close' "$D/h$i" || fail "read $i: no Connection: close during the stop"
    grep -q SECRET-SIGTERM "$D/b$i" || fail "read $i: not the case"
done
wait "$PID"; rc=$?; PID=
[ "$rc" = 0 ] || { fail "server exit $rc after SIGTERM"; tail -20 "$D/serve.err" >&2; }
after=$(count_reads)
[ "$after" = $((before + N)) ] || fail "case.read events: $after, expected $((before + N))"
"$E" audit verify "${S[@]}" >"$D/v.out" 2>&1 || { fail "audit verify"; cat "$D/v.out" >&2; }
http_finish
