#!/usr/bin/env bash
# Tests for `embargo serve` as a process: configuration precedence and errors,
# --check-config, R-40 (public mode needs a filing number), the ready line,
# /healthz and /metrics, and a graceful stop on SIGTERM.
set -u
: "${EMBARGO:?EMBARGO must name the embargo binary}"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
t=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$t"' EXIT
pid=

"$EMBARGO" serve --check-config 2>"$t/err" && ok || bad "defaults should be valid"
printf '[http]\nthreads = 65\n' > "$t/bad.ini"
"$EMBARGO" serve -c "$t/bad.ini" --check-config 2>"$t/err"
[ $? -eq 2 ] && grep -q "bad.ini:2: http.threads" "$t/err" && ok || bad "threads=65 must fail with file:line"
printf '[http]\nthreads = 64\n' > "$t/max.ini"
"$EMBARGO" serve -c "$t/max.ini" --check-config 2>/dev/null && ok || bad "threads=64 is the max"
# handler_threads: 1..1024 (0 would run blocking handlers on the event loops)
printf '[http]\nhandler_threads = 1024\n' > "$t/h.ini"
"$EMBARGO" serve -c "$t/h.ini" --check-config 2>/dev/null && ok || bad "handler_threads=1024 is the max"
printf '[http]\nhandler_threads = 1025\n' > "$t/h.ini"
"$EMBARGO" serve -c "$t/h.ini" --check-config 2>"$t/err"
[ $? -eq 2 ] && grep -q "http.handler_threads" "$t/err" && ok || bad "handler_threads=1025 must fail"
EMBARGO_HTTP_HANDLER_THREADS=0 "$EMBARGO" serve --check-config 2>"$t/err"
[ $? -eq 2 ] && grep -q "http.handler_threads" "$t/err" && ok || bad "handler_threads=0 must fail"
# the stop's deadlines: drain_timeout_ms 100..3600000, abandon_timeout_ms 0..3600000
for kv in drain_timeout_ms=100 drain_timeout_ms=3600000 abandon_timeout_ms=0 abandon_timeout_ms=3600000; do
    printf '[http]\n%s\n' "$(echo "$kv" | sed 's/=/ = /')" > "$t/d.ini"
    "$EMBARGO" serve -c "$t/d.ini" --check-config 2>/dev/null && ok || bad "$kv is allowed"
done
for kv in drain_timeout_ms=99 drain_timeout_ms=3600001 abandon_timeout_ms=-1 abandon_timeout_ms=3600001; do
    printf '[http]\n%s\n' "$(echo "$kv" | sed 's/=/ = /')" > "$t/d.ini"
    "$EMBARGO" serve -c "$t/d.ini" --check-config 2>"$t/err"
    [ $? -eq 2 ] && grep -q "http.${kv%%=*}" "$t/err" && ok || bad "$kv must fail"
done
"$EMBARGO" serve -c "$t/missing.ini" --check-config 2>"$t/err"
[ $? -eq 2 ] && grep -q "no such file" "$t/err" && ok || bad "missing config file"
EMBARGO_HTTP_LISTEN=nonsense "$EMBARGO" serve --check-config 2>"$t/err"
[ $? -eq 2 ] && grep -q "http.listen" "$t/err" && ok || bad "env override is validated"
EMBARGO_PLATFORM_PUBLIC=yes "$EMBARGO" serve --check-config 2>"$t/err"
[ $? -eq 2 ] && grep -q "R-40" "$t/err" && ok || bad "public mode without a filing number must refuse"
EMBARGO_PLATFORM_PUBLIC=yes EMBARGO_PLATFORM_FILING_NUMBER=TEST-0001 "$EMBARGO" serve --check-config 2>/dev/null && ok || bad "public mode with a filing number"
"$EMBARGO" serve --sample-config | grep -q '^#listen = 127.0.0.1:8080$' && ok || bad "sample config"
EMBARGO_PLATFORM_FILING_NUMBER=secret "$EMBARGO" serve --print-config | grep -q '^filing_number = secret$' && ok || bad "print-config"
"$EMBARGO" serve --bogus 2>/dev/null; [ $? -eq 2 ] && ok || bad "unknown option exits 2"
"$EMBARGO" serve --check-config stray 2>"$t/err"
[ $? -eq 2 ] && grep -q "unexpected argument 'stray'" "$t/err" && ok || bad "a stray argument exits 2"
# the scheduler's interval: 1 and 86400 s, not 0 or 86401
for v in 1 86400; do
    EMBARGO_SCHEDULER_INTERVAL=$v "$EMBARGO" serve --check-config 2>/dev/null && ok || bad "scheduler.interval=$v is valid"
done
for v in 0 86401 soon; do
    EMBARGO_SCHEDULER_INTERVAL=$v "$EMBARGO" serve --check-config 2>"$t/err"
    [ $? -eq 2 ] && grep -q "scheduler.interval" "$t/err" && ok || bad "scheduler.interval=$v must fail"
done
EMBARGO_LOG_LEVEL=verbose "$EMBARGO" serve --check-config 2>"$t/err"
[ $? -eq 2 ] && grep -q "log.level: 'verbose'" "$t/err" && ok || bad "an unknown log level exits 2"

# serve opens the store: without one it refuses, naming the command to run
"$EMBARGO" serve --listen 127.0.0.1:0 --data "$t/data" >"$t/out" 2>"$t/err"
[ $? -eq 2 ] && grep -q 'store: not initialised.*embargo admin init' "$t/err" && ok || bad "no store: exit 2 with a message"
"$EMBARGO" admin init --store "sqlite:$t/data/embargo.db" --master-key "$t/data/master.key" \
    --signing-key "$t/data/signing.key" --witness "$t/data/audit.witness" >/dev/null || bad "admin init"
"$EMBARGO" serve --listen 127.0.0.1:0 --data "$t/data" >"$t/out" 2>"$t/log" & pid=$!
for _ in $(seq 50); do grep -q '^listening on http://' "$t/out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$t/out")
[ -n "$url" ] && ok || bad "no ready line"
curl -sf "$url/healthz" | grep -q '"status":"ok"' && ok || bad "healthz"
curl -sf "$url/metrics" | grep -q '^embargo_http_requests_total{class="2xx"} [1-9]' && ok || bad "metrics"
curl -sf "$url/metrics" | grep -q '^embargo_http_handler_threads 64$' && ok || bad "metrics: handler threads"
code=$(curl -s -o "$t/body" -w '%{http_code}' "$url/nope")
[ "$code" = 404 ] && grep -q '"name":"NOT_FOUND"' "$t/body" && ok || bad "404 JSON"
grep -q '"msg":"http GET /healthz 200' "$t/log" && ok || bad "structured request log"
# a second server on the same address cannot listen: exit 2 with a message, no ready line
addr=${url#http://}
"$EMBARGO" serve --listen "$addr" --data "$t/data" >"$t/out2" 2>"$t/err2"
[ $? -eq 2 ] && grep -q "cannot listen on $addr" "$t/err2" && ! grep -q listening "$t/out2" &&
    ok || bad "address in use must exit 2"
curl -sf "$url/metrics" | grep -q '^embargo_scheduler_leader 1$' && ok || bad "scheduler metrics"
kill -TERM $pid; wait $pid; st=$?
[ $st -eq 0 ] && ok || bad "graceful stop exit $st"
grep -q '"msg":"scheduler: stopped"' "$t/log" && ok || bad "the scheduler stops with the server"
pid=
# [scheduler] enabled = no: no scheduler, no scheduler metrics
EMBARGO_SCHEDULER_ENABLED=no "$EMBARGO" serve --listen 127.0.0.1:0 --data "$t/data" >"$t/out" 2>"$t/log" & pid=$!
for _ in $(seq 50); do grep -q '^listening on http://' "$t/out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$t/out")
curl -sf "$url/metrics" >"$t/m" && ! grep -q embargo_scheduler "$t/m" && ok || bad "scheduler disabled"
kill -TERM $pid; wait $pid; st=$?
[ $st -eq 0 ] && grep -q 'scheduler disabled' "$t/log" && ok || bad "disabled scheduler: exit $st"
pid=
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
