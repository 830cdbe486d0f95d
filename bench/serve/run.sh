#!/bin/sh
# `embargo serve` benchmark (docs/PERFORMANCE.md, "## serve"), with wrk on loopback and
# read auditing on (every GET of a case commits its audit event, fsync'd, before the reply):
#  1. authenticated GET /api/v1/cases/{id}: req/s and p99 at 64 connections, against nginx
#     serving the exact bytes of that reply as a static file, alternating, ROUNDS rounds;
#  2. report submissions: POST /api/v1/cases at 64 connections (durable, audited writes),
#     the count of 201 replies checked against the cases in the store afterwards;
#  3. list latency (GET /api/v1/cases with filters and paging) and random audited reads on a
#     store of CASES cases (default 1 000 000), filled through the bulk path of bench/store
#     (bench_serve_fill). Filling takes minutes: give BIG_DIR to keep the filled store between
#     runs (it is filled only if BIG_DIR/filled is missing).
# Builds nothing. usage:
#   bench/serve/run.sh [BUILD_DIR] [SECONDS] [ROUNDS] [BIG_DIR]    (CASES=N in the environment)
# BASELINE=/path/to/another/embargo adds that binary's GET figures to section 1, served from the
# same store in the same run (to compare a change with the build before it).
# BUILD_DIR defaults to build/release; SECONDS (per wrk run) to 10; ROUNDS to 3.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/lib.sh"
build=$(cd "${1:-build/release}" && pwd)
secs=${2:-10}
rounds=${3:-3}
big=${4:-}
cases=${CASES:-1000000}
E=$build/embargo
FILL=$build/bench/bench_serve_fill
for t in "$E" "$FILL"; do [ -x "$t" ] || { echo "missing $t (build the release preset)" >&2; exit 2; }; done
for t in wrk nginx curl python3; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 2; }; done
work=$(mktemp -d "${TMPDIR:-/tmp}/emb-bench-serve-XXXXXX")
chmod 755 "$work" # nginx workers run as www-data
spid= npid= bpid= opid=
cleanup() {
    for p in $spid $npid $bpid $opid; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# admin DIR ARGS...: an embargo admin command on the store in DIR
admin() {
    d=$1; shift
    "$E" admin "$@" --store "sqlite:$d/embargo.db" --master-key "$d/master.key" \
        --signing-key "$d/signing.key" --witness "$d/audit.witness"
}
# serve DIR PORT LOG [BINARY]: start embargo serve on the store in DIR; sets $last_pid
serve() {
    printf '[http]\nthreads = 2\nlog_requests = no\n[log]\nlevel = warning\n' >"$work/serve.ini"
    "${4:-$E}" serve -c "$work/serve.ini" --listen "127.0.0.1:$2" --data "$1" >"$3.out" 2>"$3.err" &
    last_pid=$!
    for _ in $(seq 100); do grep -q '^listening on' "$3.out" 2>/dev/null && return 0; sleep 0.1; done
    cat "$3.err" >&2
    echo "embargo serve did not start" >&2
    exit 1
}
# wrkline ARGS...: one wrk run; prints "REQ/S P50 P99 NON2XX REQUESTS"
wrkline() {
    wrk --latency "$@" 2>&1 | awk '
        /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2}
        /Non-2xx/ {bad=$5} / requests in / {n=$1}
        END {printf "%s %s %s %s %s\n", rps, p50, p99, bad == "" ? 0 : bad, n}'
}
# measured PID ARGS...: wrkline, plus the CPU the server PID used per request (us)
measured() {
    mp=$1; shift
    t0=$(ticks "$mp")
    set -- $(wrkline "$@")
    t1=$(ticks "$mp")
    echo "$1 $2 $3 $4 $(( (t1 - t0) * 1000000 / hz / ($5 > 0 ? $5 : 1) ))"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $("$E" version 2>/dev/null | head -1), $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"

# ---- 1. audited GET against nginx ------------------------------------------------
small=$work/small
mkdir -p "$small"
admin "$small" init >/dev/null
admin "$small" org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor >/dev/null
admin "$small" org add --id org-finder --kind reporter_team --jurisdiction CN --name Finder >/dev/null
admin "$small" org add --id org-platform --kind coordinator --jurisdiction CN --name Platform >/dev/null
admin "$small" user add --id u-coord --role coordinator --org org-platform --verified >/dev/null
tok=$(admin "$small" token add --user u-coord)
auth="Authorization: Bearer $tok"
cat >"$work/case.json" <<'EOF'
{"type": "product", "provider_org": "org-vendor", "submitter_org": "org-finder",
 "aware_at": "2026-02-10T09:30:00+08:00",
 "products": [{"vendor": "Example Networks", "name": "EX Router", "model": "EX-1000", "versions": ">=2.0 <2.4.1"}],
 "vulnerabilities": [{"name": "EX Router stack overflow in the web interface", "gbt_class": "代码问题/资源管理错误",
   "gbt_vector": "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H"}],
 "details": {"title": "EX Router pre-auth RCE",
   "verification_steps": "send a 5000-byte cookie to /cgi-bin/login and observe the crash"}}
EOF
sport=$(freeport)
serve "$small" "$sport" "$work/small"
spid=$last_pid
surl=http://127.0.0.1:$sport
id=$(curl -sf -H "$auth" -H 'Content-Type: application/json' --data-binary @"$work/case.json" \
    "$surl/api/v1/cases" | sed -n 's/.*"id":"\(EMB-[0-9]*-[0-9]*\)".*/\1/p')
[ -n "$id" ] || { echo "case create failed" >&2; exit 1; }
mkdir -p "$work/www/api/v1/cases"
curl -sf -H "$auth" "$surl/api/v1/cases/$id" >"$work/www/api/v1/cases/$id"
nport=$(freeport)
nginx_start "$work" "$nport"
sleep 0.5
nurl=http://127.0.0.1:$nport
curl -sf "$nurl/api/v1/cases/$id" | cmp -s - "$work/www/api/v1/cases/$id" ||
    { echo "nginx does not serve the same bytes" >&2; exit 1; }
if [ -n "${BASELINE:-}" ]; then
    oport=$(freeport)
    serve "$small" "$oport" "$work/baseline" "$BASELINE"
    opid=$last_pid
fi
ev0=$(sqlite3 "$small/embargo.db" "select count(*) from audit_events where action = 'case.read'" 2>/dev/null || echo "")
echo
echo "== GET /api/v1/cases/$id ($(wc -c <"$work/www/api/v1/cases/$id") body bytes), wrk -t1 -c64 -d${secs}s, Authorization header sent to both"
echo "(cpu/req: CPU time the server's processes used during the run, per request)"
echo "round server       req/s      p50       p99   non-2xx  cpu/req"
r=1
while [ "$r" -le "$rounds" ]; do
    set -- $(measured "$npid" -t1 -c64 -d"${secs}s" -H "$auth" "$nurl/api/v1/cases/$id")
    printf '%-5s %-8s %9s %9s %9s %9s %6sus\n' "$r" nginx "$1" "$2" "$3" "$4" "$5"
    n=$1 ncpu=$5
    set -- $(measured "$spid" -t1 -c64 -d"${secs}s" -H "$auth" "$surl/api/v1/cases/$id")
    printf '%-5s %-8s %9s %9s %9s %9s %6sus   (rate %.0f%% of nginx; cpu/req %.1fx)\n' "$r" \
        embargo "$1" "$2" "$3" "$4" "$5" "$(python3 -c "print(100 * $1 / $n)")" \
        "$(python3 -c "print($5 / max($ncpu, 1))")"
    if [ -n "$opid" ]; then
        set -- $(measured "$opid" -t1 -c64 -d"${secs}s" -H "$auth" "http://127.0.0.1:$oport/api/v1/cases/$id")
        printf '%-5s %-8s %9s %9s %9s %9s %6sus   (rate %.0f%% of nginx; cpu/req %.1fx)\n' "$r" \
            baseline "$1" "$2" "$3" "$4" "$5" "$(python3 -c "print(100 * $1 / $n)")" \
            "$(python3 -c "print($5 / max($ncpu, 1))")"
    fi
    r=$((r + 1))
done
[ -z "$opid" ] || { kill "$opid"; wait "$opid" 2>/dev/null || true; opid=; }
if [ -n "$ev0" ]; then
    ev1=$(sqlite3 "$small/embargo.db" "select count(*) from audit_events where action = 'case.read'")
    echo "case.read audit events committed during the GET runs: $((ev1 - ev0))"
fi
kill "$npid"; wait "$npid" 2>/dev/null || true; npid=

# ---- 2. submissions ----------------------------------------------------------------
cat >"$work/post.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
    created, other = 0, 0
    local f = assert(io.open(os.getenv("EMB_BODY"), "rb"))
    wrk.method, wrk.body = "POST", f:read("*a")
    wrk.headers["Content-Type"] = "application/json"
    f:close()
end
function response(status, headers, body)
    if status == 201 then created = created + 1 else other = other + 1 end
end
function done(summary, latency, requests)
    local c, o = 0, 0
    for _, t in ipairs(threads) do c = c + t:get("created"); o = o + t:get("other") end
    io.write(string.format("CREATED %d OTHER %d\n", c, o))
end
LUA
echo
echo "== POST /api/v1/cases (report submission: receipt, decision, sealing, 2 audit events, one fsync'd transaction each), wrk -t1 -c64 -d${secs}s"
echo "round      req/s      p50       p99   201s  other  cpu/req"
r=1
while [ "$r" -le "$rounds" ]; do
    c0=$(sqlite3 "$small/embargo.db" "select count(*) from cases" 2>/dev/null || echo "")
    t0=$(ticks "$spid")
    EMB_BODY=$work/case.json wrk --latency -t1 -c64 -d"${secs}s" -s "$work/post.lua" -H "$auth" \
        "$surl/api/v1/cases" >"$work/post.out" 2>&1
    t1=$(ticks "$spid")
    awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /^CREATED/ {c=$2; o=$4}
         END {printf "%s %s %s %s %s\n", rps, p50, p99, c, o}' "$work/post.out" >"$work/post.line"
    set -- $(cat "$work/post.line")
    printf '%-5s %10s %8s %9s %6s %6s %6sus' "$r" "$1" "$2" "$3" "$4" "$5" \
        "$(( (t1 - t0) * 1000000 / hz / ($4 + $5 > 0 ? $4 + $5 : 1) ))"
    if [ -n "$c0" ]; then
        c1=$(sqlite3 "$small/embargo.db" "select count(*) from cases")
        printf '   (cases in the store: +%d)' $((c1 - c0))
    fi
    echo
    r=$((r + 1))
done
kill "$spid"; wait "$spid" 2>/dev/null || true; spid=

# ---- 3. list latency and random reads on a large store -------------------------------
bigdir=${big:-$work/big}
mkdir -p "$bigdir"
if [ ! -f "$bigdir/filled" ]; then
    echo
    echo "== filling $bigdir with $cases cases (bulk path, 10 000 per transaction)"
    rm -f "$bigdir/embargo.db" "$bigdir/embargo.db-wal" "$bigdir/embargo.db-shm" \
        "$bigdir/master.key" "$bigdir/signing.key" "$bigdir/audit.witness"
    admin "$bigdir" init >/dev/null
    for v in 0 1 2 3 4 5 6 7 8 9; do
        admin "$bigdir" org add --id "org-vendor-$v" --kind product_provider --jurisdiction CN --name "Vendor $v" >/dev/null
    done
    admin "$bigdir" org add --id org-rare --kind product_provider --jurisdiction CN --name Rare >/dev/null
    admin "$bigdir" org add --id org-finder --kind reporter_team --jurisdiction CN --name Finder >/dev/null
    admin "$bigdir" org add --id org-platform --kind coordinator --jurisdiction CN --name Platform >/dev/null
    admin "$bigdir" user add --id u-coord --role coordinator --org org-platform --verified >/dev/null
    admin "$bigdir" user add --id u-rare --role vendor_member --org org-rare --verified >/dev/null
    "$FILL" "$bigdir" "$cases" >"$bigdir/filled.tmp"
    mv "$bigdir/filled.tmp" "$bigdir/filled"
fi
years=$(sed -n 's/^filled [0-9]* years //p' "$bigdir/filled")
nbig=$(sed -n 's/^filled \([0-9]*\) .*/\1/p' "$bigdir/filled")
tc=$(admin "$bigdir" token add --user u-coord)
tr=$(admin "$bigdir" token add --user u-rare)
bport=$(freeport)
serve "$bigdir" "$bport" "$work/big"
bpid=$last_pid
burl=http://127.0.0.1:$bport
echo
echo "== store of $nbig cases ($(du -sh "$bigdir" | cut -f1)): GET /api/v1/cases (list), wrk -t1 -c1 -d${secs}s (one client: latency)"
echo "what                                                      req/s      p50       p99  non-2xx"
list() { # LABEL TOKEN QUERY
    curl -sf -H "Authorization: Bearer $2" "$burl/api/v1/cases?$3" >/dev/null ||
        { echo "list $3 failed" >&2; exit 1; }
    set -- "$1" $(wrkline -t1 -c1 -d"${secs}s" -H "Authorization: Bearer $2" "$burl/api/v1/cases?$3" | cut -d' ' -f1-4)
    printf '%-52s %9s %9s %9s %6s\n' "$1" "$2" "$3" "$4" "$5"
}
y1=${years%%:*}
list "coordinator, first page (limit=50)" "$tc" "limit=50"
list "coordinator, page at the middle (cursor)" "$tc" "limit=50&cursor=EMB-$y1-250000"
list "coordinator, limit=200 (largest page)" "$tc" "limit=200"
list "coordinator, state=verified (20%)" "$tc" "limit=50&state=verified"
list "coordinator, state=tracking (1%)" "$tc" "limit=50&state=tracking"
list "coordinator, state=closed (matches none)" "$tc" "limit=50&state=closed"
list "vendor of org-rare (0.1% visible)" "$tr" "limit=50"
cat >"$work/rand.lua" <<LUA
local years = {}
for y, n in string.gmatch("$years", "(%d+):(%d+)") do table.insert(years, {y, tonumber(n)}) end
math.randomseed(42)
request = function()
    local yn = years[math.random(#years)]
    return wrk.format("GET", string.format("/api/v1/cases/EMB-%s-%06d", yn[1], math.random(yn[2])))
end
LUA
echo
echo "== random audited reads over all $nbig cases: GET /api/v1/cases/{random id}, wrk -t1 -c64 -d${secs}s"
echo "round      req/s      p50       p99  non-2xx  cpu/req"
r=1
while [ "$r" -le "$rounds" ]; do
    set -- $(measured "$bpid" -t1 -c64 -d"${secs}s" -s "$work/rand.lua" -H "Authorization: Bearer $tc" "$burl")
    printf '%-5s %10s %8s %9s %6s %6sus\n' "$r" "$1" "$2" "$3" "$4" "$5"
    r=$((r + 1))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
