#!/bin/sh
# HTTP engine benchmark: embargo's server (bench_http) against nginx serving the
# same ~1 KB JSON bytes as a static file, in the same run, with wrk on loopback.
# "embargo" runs the handler on the handler pool (as embargo serve does),
# "inline" on the event loops (handler_threads = 0): the difference is the
# cost of the hand-off to a handler thread and back.
# usage: bench/http/run.sh [BUILD_DIR] [SECONDS]   (BUILD_DIR default build/release)
set -eu
build=${1:-build/release}
secs=${2:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as www-data
trap 'kill $spid $spid0 $npid 2>/dev/null; cat "$work/nginx/error.log" >&2 2>/dev/null; rm -rf "$work"' EXIT
python3 - "$work/case.json" <<'PY'
import json, sys
doc = {"id": "EMB-2026-000001", "type": "product", "state": "VENDOR_NOTIFIED",
       "disclosure": "undisclosed", "title": "Stored XSS in the report viewer of an OA suite",
       "products": [{"vendor": "Example Soft", "name": "Example OA", "versions": ">=3.0.0 <3.4.2"}],
       "vulnerabilities": [{"cwe": "CWE-79", "gbt30279": "GBT30279/...", "cvss31":
           "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", "score": 5.4}],
       "dates": {"aware_at": "2026-11-20T08:00:00Z", "vendor_notified_at": "2026-11-20T09:30:00Z",
                 "nvdb_deadline": "2026-11-22T08:00:00Z"},
       "participants": [{"org": "Example Soft", "role": "product_provider", "jurisdiction": "CN"},
                        {"org": "Reporter Lab", "role": "reporter", "jurisdiction": "CN"}],
       "padding": "x" * 300}
open(sys.argv[1], "w").write(json.dumps(doc))
PY
. "$root/bench/lib.sh"
mkdir -p "$work/www/api/v1/cases"
cp "$work/case.json" "$work/www/api/v1/cases/EMB-2026-000001"
nginx_start "$work" 18081
"$build/bench/bench_http" "$work/case.json" 18082 2 64 > "$work/srv.out" & spid=$!
"$build/bench/bench_http" "$work/case.json" 18083 2 0 > "$work/srv0.out" & spid0=$!
sleep 1
echo "body bytes: $(wc -c < "$work/case.json")"
for target in "nginx http://127.0.0.1:18081 $npid" "embargo http://127.0.0.1:18082 $spid" \
    "inline http://127.0.0.1:18083 $spid0"; do
    set -- $target
    curl -sf "$2/api/v1/cases/EMB-2026-000001" > /dev/null
    printf '%-8s ' "$1"
    t0=$(ticks "$3")
    wrk -t1 -c64 -d"${secs}s" --latency "$2/api/v1/cases/EMB-2026-000001" > "$work/wrk.out"
    t1=$(ticks "$3")
    awk -v t=$((t1 - t0)) -v hz="$hz" '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} / requests in / {n=$1}
        END {printf "%s req/s, p99 %s, server CPU %.0f us/request\n", rps, p99, t * 1e6 / hz / n}' \
        "$work/wrk.out"
done
