#!/bin/bash
# SIGTERM to `embargo serve` while audited reads wait for a commit that
# cannot land (another process holds the database's write lock), end to end:
#  1. the stop is bounded: past http.drain_timeout_ms and then
#     http.abandon_timeout_ms the server abandons the held reads, says how
#     many in its log, and exits 1, without waiting for the commit; no read
#     was answered;
#  2. a second SIGTERM ends a graceful stop at once (drain and abandon
#     deadlines of 10 s each here), also with status 1 and nothing answered;
#  3. once the lock is gone the chain still verifies (the abandoned events
#     never committed, and no reply left without its event).
# Before the fix the server waited for the commit without bound and exited
# only after it (here: after the lock holder gave up).
. "$(dirname "$0")/lib.sh"
http_init readpath-abandon
N=4

coord_store SECRET-ABANDON

# reads_held: N reads in the background, each waiting for its commit.
reads_held() {
    pids=
    for i in $(seq $N); do
        rm -f "$D/h$i" "$D/b$i"
        curl -s -m 60 -D "$D/h$i" -o "$D/b$i" -H "Authorization: Bearer $TC" \
            "$URL/api/v1/cases/$ID" &
        pids="$pids $!"
    done
    replies_held $N
}

# stopped_within SECONDS: the server exits within that time; its status in $rc.
stopped_within() {
    local t=0
    while kill -0 "$PID" 2>/dev/null && [ "$t" -lt $(($1 * 20)) ]; do sleep 0.05; t=$((t + 1)); done
    if kill -0 "$PID" 2>/dev/null; then
        fail "the server still runs $1 s after the stop"
        db_lock_give
    fi
    wait "$PID"; rc=$?; PID=
}

unanswered() {
    for p in $pids; do wait "$p"; done
    for i in $(seq $N); do
        [ -s "$D/h$i" ] && fail "$1: read $i was answered: $(head -1 "$D/h$i")"
        grep -q SECRET-ABANDON "$D/b$i" 2>/dev/null && fail "$1: read $i got the content"
    done
}

# 1. the abandon deadline
printf '[http]\nlog_requests = no\ndrain_timeout_ms = 200\nabandon_timeout_ms = 300\n' >serve.ini
serve_start -c serve.ini
req 201 POST /api/v1/cases "$TC" "$CASE" # the token's first use is recorded now
ID=$(jget 'j["id"]')
before=$(count_events case.read)
db_lock_take
reads_held
kill -TERM "$PID"
stopped_within 5
[ "$rc" = 1 ] || { fail "exit status $rc after the abandon deadline, expected 1"; tail -60 "$D/serve.err" >&2; }
grep -q "$N requests abandoned" "$D/serve.err" || { fail "no abandon count in the log"; tail -5 "$D/serve.err" >&2; }
grep -q SECRET-ABANDON "$D/serve.err" && fail "the log holds case content"
grep -q "$TC" "$D/serve.err" && fail "the log holds the token"
unanswered "deadline"
db_lock_give
[ "$(count_events case.read)" = "$before" ] || fail "events of abandoned reads committed"

# 2. a second SIGTERM
printf '[http]\nlog_requests = no\n' >serve.ini
serve_start -c serve.ini
db_lock_take
reads_held
kill -TERM "$PID"
sleep 0.5
kill -0 "$PID" 2>/dev/null || fail "the server exited at the first SIGTERM with reads in progress"
kill -TERM "$PID"
stopped_within 3
[ "$rc" = 1 ] || { fail "exit status $rc after a second SIGTERM, expected 1"; tail -60 "$D/serve.err" >&2; }
grep -q "again: stopping now" "$D/serve.err" || fail "no log line for the second signal"
unanswered "second SIGTERM"
db_lock_give

# 3. the chain
"$E" audit verify "${S[@]}" >"$D/v.out" 2>&1 || { fail "audit verify"; cat "$D/v.out" >&2; }
http_finish
