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

before=$(count_events case.read "$ID")

db_lock_take

for i in $(seq $N); do
    curl -s -D "$D/h$i" -o "$D/b$i" -H "Authorization: Bearer $TC" "$URL/api/v1/cases/$ID" &
    pids="${pids:-} $!"
done
replies_held $N
sleep 0.3
for i in $(seq $N); do
    [ -s "$D/h$i" ] && fail "read $i was answered before its audit event could commit"
done
[ "$(count_events case.read "$ID")" = "$before" ] || fail "events committed while the lock was held"

kill -TERM "$PID"
sleep 0.5
kill -0 "$PID" 2>/dev/null || fail "the server exited with reads in progress"
db_lock_give
for p in $pids; do wait "$p"; done
for i in $(seq $N); do
    grep -q '^HTTP/1.1 200' "$D/h$i" || fail "read $i: $(head -1 "$D/h$i")"
    grep -qi '^Connection: close' "$D/h$i" || fail "read $i: no Connection: close during the stop"
    grep -q SECRET-SIGTERM "$D/b$i" || fail "read $i: not the case"
done
wait "$PID"; rc=$?; PID=
[ "$rc" = 0 ] || { fail "server exit $rc after SIGTERM"; tail -20 "$D/serve.err" >&2; }
after=$(count_events case.read "$ID")
[ "$after" = $((before + N)) ] || fail "case.read events: $after, expected $((before + N))"
"$E" audit verify "${S[@]}" >"$D/v.out" 2>&1 || { fail "audit verify"; cat "$D/v.out" >&2; }
http_finish
