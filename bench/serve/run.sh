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
# STORE picks the backend of sections 1 and 2 (issue 6):
#   STORE=sqlite            (default) sqlite:DIR/embargo.db in a temporary folder;
#   STORE=pg                a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh start,
#                           stopped and deleted at exit) with fsync turned back on, so its
#                           commits are as durable as SQLite's;
#   STORE=postgresql://...  an existing server, as a role that may CREATE DATABASE.
# On PostgreSQL the run gets a fresh database (dropped at exit); section 3 fills (or reuses)
# the SQLite store of BIG_DIR as above, copies it into a second fresh database with
# `embargo db copy` (timed; the copy's audit chain is verified against BIG_DIR's witness)
# and lists that one, served from a copy of BIG_DIR's keys and witness so the SQLite store's
# witness stays its own. NODES=2 (PostgreSQL only) starts two
# `embargo serve` processes on that database on two loopback ports (each with its own copy of
# the data directory: keys and witness, as on two machines) and runs two wrk at once, 32
# connections each (64 in all, as with one node): the rates are summed, p50 and p99 given per
# node, and cpu/req is both servers' CPU over both wrk's requests. CASES=0 skips section 3.
# BASELINE=/path/to/another/embargo adds that binary's GET figures to section 1, in the same run
# (to compare a change with the build before it): on SQLite from a store of its own, set up by
# that binary the same way (a build from before a schema change refuses this run's store); on
# PostgreSQL from the run's database.
# BUILD_DIR defaults to build/release; SECONDS (per wrk run) to 10; ROUNDS to 3.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/lib.sh"
build=$(cd "${1:-build/release}" && pwd)
secs=${2:-10}
rounds=${3:-3}
big=${4:-}
cases=${CASES:-1000000}
store=${STORE:-sqlite}
nodes=${NODES:-1}
case $store in
sqlite | pg | postgresql://* | postgres://*) ;;
*) echo "STORE=$store: expected sqlite, pg or a postgresql:// URI" >&2; exit 2 ;;
esac
case $nodes in
1) ;;
2) [ "$store" != sqlite ] || { echo "NODES=2 needs PostgreSQL (STORE=pg or a URI)" >&2; exit 2; } ;;
*) echo "NODES=$nodes: expected 1 or 2" >&2; exit 2 ;;
esac
E=$build/embargo
FILL=$build/bench/bench_serve_fill
for t in "$E" "$FILL"; do [ -x "$t" ] || { echo "missing $t (build the release preset)" >&2; exit 2; }; done
for t in wrk nginx curl python3; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 2; }; done
work=$(mktemp -d "${TMPDIR:-/tmp}/emb-bench-serve-XXXXXX")
chmod 755 "$work" # nginx workers run as www-data
spid= s2pid= npid= bpid= opid= pgdir= pgdb= bigpg= bigpgdir=
cleanup() {
    for p in $spid $s2pid $npid $bpid $opid; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for d in $pgdb $bigpg; do pgadmin "DROP DATABASE IF EXISTS $d WITH (FORCE)" || true; done
    if [ -n "$pgdir" ]; then "$root/scripts/pg-test-cluster.sh" stop "$pgdir"; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# psql, of the throwaway cluster's version if there is one
psqlc() {
    if [ -n "${EMB_TEST_PG_BIN:-}" ] && [ -x "$EMB_TEST_PG_BIN/psql" ]; then "$EMB_TEST_PG_BIN/psql" "$@"; else psql "$@"; fi
}
# pguri DB: the server's URI ($pgdsn) with its database replaced by DB
pguri() {
    b=${pgdsn%%\?*} qs=
    [ "$b" = "$pgdsn" ] || qs="?${pgdsn#*\?}"
    case $b in postgresql://*/* | postgres://*/*) b=${b%/*} ;; esac
    printf '%s/%s%s\n' "$b" "$1" "$qs"
}
pgadmin() { psqlc "$pgdsn" -X -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null; }
# storeuri DIR: the store of DIR: the section 3 copy's database for its folder, the large
# SQLite store for BIG_DIR, otherwise the run's PostgreSQL database or DIR's SQLite file
storeuri() {
    if [ -n "$bigpgdir" ] && [ "$1" = "$bigpgdir" ]; then pguri "$bigpg"
    elif [ -n "${bigdir:-}" ] && [ "$1" = "$bigdir" ]; then echo "sqlite:$1/embargo.db"
    elif [ -n "$pgdb" ]; then pguri "$pgdb"
    else echo "sqlite:$1/embargo.db"; fi
}
# sq SQL: one query on the small store, one value (empty if no client is installed)
sq() {
    if [ -n "$pgdb" ]; then
        psqlc "$(pguri "$pgdb")" -X -q -A -t -c "$1" 2>/dev/null || true
    else
        sqlite3 "$small/embargo.db" "$1" 2>/dev/null || true
    fi
}
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# admin DIR ARGS...: an embargo admin command on the store in DIR
admin() {
    d=$1; shift
    "$E" admin "$@" --store "$(storeuri "$d")" --master-key "$d/master.key" \
        --signing-key "$d/signing.key" --witness "$d/audit.witness"
}
# serve DIR PORT LOG [BINARY]: start embargo serve on the store in DIR; sets $last_pid
serve() {
    printf '[http]\nthreads = 2\nlog_requests = no\n[log]\nlevel = warning\n' >"$work/serve.ini"
    EMBARGO_STORE_URI=$(storeuri "$1") "${4:-$E}" serve -c "$work/serve.ini" --listen "127.0.0.1:$2" \
        --data "$1" >"$3.out" 2>"$3.err" &
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
# measured PID ARGS...: wrkline, plus the CPU the server PID used per request (us), and the
# number of requests
measured() {
    mp=$1; shift
    t0=$(ticks "$mp")
    set -- $(wrkline "$@")
    t1=$(ticks "$mp")
    echo "$1 $2 $3 $4 $(( (t1 - t0) * 1000000 / hz / ($5 > 0 ? $5 : 1) )) $5"
}
# dbticks: CPU ticks of the throwaway PostgreSQL server (postmaster and its backends); 0 on
# SQLite (its work is in the server's own CPU) and on a server of STORE=URI (not measured)
pgpid=
dbticks() { if [ -n "$pgpid" ]; then ticks "$pgpid"; else echo 0; fi; }
# dbcpu T0 T1 REQUESTS: the database server's CPU per request, "-" when not measured
dbcpu() {
    if [ -n "$pgpid" ]; then echo "$(( ($2 - $1) * 1000000 / hz / ($3 > 0 ? $3 : 1) ))us"; else echo -; fi
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $("$E" version 2>/dev/null | head -1), $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"

# ---- the store ------------------------------------------------------------------------
small=$work/small
mkdir -p "$small"
case $store in
sqlite) echo "store: sqlite, $nodes node" ;;
*)
    if [ "$store" = pg ]; then
        pgenv=$("$root/scripts/pg-test-cluster.sh" start) # an assignment, so set -e sees a failure
        eval "$pgenv"
        pgdir=$EMB_TEST_PG_DIR pgdsn=$EMB_TEST_PG_DSN
        pgpid=$(head -1 "$EMB_TEST_PG_DATA/postmaster.pid")
        # the test cluster runs with fsync=off; a benchmark of durable writes needs it on
        pgadmin "ALTER SYSTEM SET fsync = on"
        pgadmin "SELECT pg_reload_conf()"
        sleep 0.2
    else
        pgdsn=$store
    fi
    pgdb="emb_bench_$$"
    pgadmin "CREATE DATABASE $pgdb ENCODING 'UTF8' TEMPLATE template0"
    echo "store: PostgreSQL $(psqlc "$pgdsn" -X -A -t -c 'SHOW server_version' | cut -d' ' -f1)" \
        "(fsync $(psqlc "$pgdsn" -X -A -t -c 'SHOW fsync'), synchronous_commit" \
        "$(psqlc "$pgdsn" -X -A -t -c 'SHOW synchronous_commit')), database $pgdb, $nodes node(s)"
    ;;
esac

# ---- 1. audited GET against nginx ------------------------------------------------
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
bauth=$auth bid=$id
if [ -n "${BASELINE:-}" ]; then
    oport=$(freeport)
    if [ "$store" = sqlite ]; then
        # its own store, made by that binary the same way: a build from before a schema
        # change refuses this run's store (the same content, so the same reply but its dates)
        base=$work/base
        mkdir -p "$base"
        ecur=$E E=$BASELINE
        admin "$base" init >/dev/null
        admin "$base" org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor >/dev/null
        admin "$base" org add --id org-finder --kind reporter_team --jurisdiction CN --name Finder >/dev/null
        admin "$base" org add --id org-platform --kind coordinator --jurisdiction CN --name Platform >/dev/null
        admin "$base" user add --id u-coord --role coordinator --org org-platform --verified >/dev/null
        bauth="Authorization: Bearer $(admin "$base" token add --user u-coord)"
        E=$ecur
        serve "$base" "$oport" "$work/baseline" "$BASELINE"
        opid=$last_pid
        bid=$(curl -sf -H "$bauth" -H 'Content-Type: application/json' --data-binary @"$work/case.json" \
            "http://127.0.0.1:$oport/api/v1/cases" | sed -n 's/.*"id":"\(EMB-[0-9]*-[0-9]*\)".*/\1/p')
        [ -n "$bid" ] || { echo "baseline: case create failed" >&2; exit 1; }
    else
        serve "$small" "$oport" "$work/baseline" "$BASELINE"
        opid=$last_pid
    fi
fi
if [ "$nodes" = 2 ]; then
    cp -a "$small" "$work/small2" # node B's own keys and witness (the same keys: one installation)
    s2port=$(freeport)
    serve "$work/small2" "$s2port" "$work/small2"
    s2pid=$last_pid
    s2url=http://127.0.0.1:$s2port
    curl -sf -H "$auth" "$s2url/api/v1/cases/$id" | cmp -s - "$work/www/api/v1/cases/$id" ||
        { echo "node B does not serve the same bytes" >&2; exit 1; }
fi
# both PATH WRKARGS...: wrk at the node(s) of the run, 64 connections in all; prints
# "REQ/S P50 P99 NON2XX CPU/REQ" with one node, and with two nodes (one wrk of 32 connections
# at each, at once) "REQ/S(sum) P50A/P50B P99A/P99B NON2XX(sum) CPU/REQ" (both servers' CPU
# over both wrk's requests)
both() {
    bp=$1; shift
    if [ "$nodes" = 1 ]; then
        measured "$spid" -t1 -c64 "$@" "$surl$bp"
        return
    fi
    t0=$(( $(ticks "$spid") + $(ticks "$s2pid") ))
    wrkline -t1 -c32 "$@" "$surl$bp" >"$work/wA" &
    wa=$!
    wrkline -t1 -c32 "$@" "$s2url$bp" >"$work/wB" &
    wb=$!
    wait "$wa" "$wb"
    t1=$(( $(ticks "$spid") + $(ticks "$s2pid") ))
    set -- $(cat "$work/wA") $(cat "$work/wB")
    python3 -c "import sys; a = sys.argv[1:]; n = int(a[4]) + int(a[9]);
print('%.2f %s/%s %s/%s %d %d %d' % (float(a[0]) + float(a[5]), a[1], a[6], a[2], a[7],
      int(a[3]) + int(a[8]), ($t1 - $t0) * 1000000 // $hz // max(n, 1), n))" "$@"
}
ev0=$(sq "select count(*) from audit_events where action = 'case.read'")
echo
echo "== GET /api/v1/cases/$id ($(wc -c <"$work/www/api/v1/cases/$id") body bytes), wrk -t1 -c64 -d${secs}s, Authorization header sent to both"
[ "$nodes" = 1 ] || echo "   (embargo: 2 nodes, wrk -t1 -c32 -d${secs}s at each at once; req/s summed; p50 and p99 per node)"
echo "(cpu/req: CPU time the server's processes used during the run, per request; db: the same for"
echo " the PostgreSQL server's processes, STORE=pg only)"
echo "round server       req/s      p50       p99   non-2xx  cpu/req  db cpu/req"
r=1
while [ "$r" -le "$rounds" ]; do
    set -- $(measured "$npid" -t1 -c64 -d"${secs}s" -H "$auth" "$nurl/api/v1/cases/$id")
    printf '%-5s %-8s %9s %9s %9s %9s %6sus\n' "$r" nginx "$1" "$2" "$3" "$4" "$5"
    n=$1 ncpu=$5
    d0=$(dbticks)
    set -- $(both "/api/v1/cases/$id" -d"${secs}s" -H "$auth")
    d1=$(dbticks)
    printf '%-5s %-8s %9s %9s %9s %9s %6sus %8s   (rate %.0f%% of nginx; cpu/req %.1fx)\n' "$r" \
        embargo "$1" "$2" "$3" "$4" "$5" "$(dbcpu "$d0" "$d1" "$6")" "$(python3 -c "print(100 * $1 / $n)")" \
        "$(python3 -c "print($5 / max($ncpu, 1))")"
    if [ -n "$opid" ]; then
        set -- $(measured "$opid" -t1 -c64 -d"${secs}s" -H "$bauth" "http://127.0.0.1:$oport/api/v1/cases/$bid")
        printf '%-5s %-8s %9s %9s %9s %9s %6sus   (rate %.0f%% of nginx; cpu/req %.1fx)\n' "$r" \
            baseline "$1" "$2" "$3" "$4" "$5" "$(python3 -c "print(100 * $1 / $n)")" \
            "$(python3 -c "print($5 / max($ncpu, 1))")"
    fi
    r=$((r + 1))
done
[ -z "$opid" ] || { kill "$opid"; wait "$opid" 2>/dev/null || true; opid=; }
if [ -n "$ev0" ]; then
    ev1=$(sq "select count(*) from audit_events where action = 'case.read'")
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
# post URL CONNS OUT: one wrk run of submissions; writes "REQ/S P50 P99 201S OTHER" to OUT
post() {
    EMB_BODY=$work/case.json wrk --latency -t1 -c"$2" -d"${secs}s" -s "$work/post.lua" -H "$auth" \
        "$1/api/v1/cases" >"$3.out" 2>&1
    awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /^CREATED/ {c=$2; o=$4}
         END {printf "%s %s %s %s %s\n", rps, p50, p99, c, o}' "$3.out" >"$3"
}
echo
echo "== POST /api/v1/cases (report submission: receipt, decision, sealing, 3 audit events, one fsync'd transaction each), wrk -t1 -c64 -d${secs}s"
[ "$nodes" = 1 ] || echo "   (2 nodes: wrk -t1 -c32 -d${secs}s at each at once; req/s and counts summed; p50 and p99 per node)"
echo "round      req/s      p50       p99   201s  other  cpu/req  db cpu/req"
r=1
while [ "$r" -le "$rounds" ]; do
    c0=$(sq "select count(*) from cases")
    d0=$(dbticks)
    t0=$(ticks "$spid")
    if [ "$nodes" = 1 ]; then
        post "$surl" 64 "$work/post.line"
        t1=$(ticks "$spid")
    else
        t0=$((t0 + $(ticks "$s2pid")))
        post "$surl" 32 "$work/postA" &
        wa=$!
        post "$s2url" 32 "$work/postB" &
        wb=$!
        wait "$wa" "$wb"
        t1=$(( $(ticks "$spid") + $(ticks "$s2pid") ))
        set -- $(cat "$work/postA") $(cat "$work/postB")
        echo "$(python3 -c "print('%.2f' % ($1 + $6))") $2/$7 $3/$8 $(($4 + $9)) $((${5} + ${10}))" >"$work/post.line"
    fi
    d1=$(dbticks)
    set -- $(cat "$work/post.line")
    printf '%-5s %10s %8s %9s %6s %6s %6sus %8s' "$r" "$1" "$2" "$3" "$4" "$5" \
        "$(( (t1 - t0) * 1000000 / hz / ($4 + $5 > 0 ? $4 + $5 : 1) ))" "$(dbcpu "$d0" "$d1" $(($4 + $5)))"
    if [ -n "$c0" ]; then
        c1=$(sq "select count(*) from cases")
        printf '   (cases in the store: +%d)' $((c1 - c0))
    fi
    echo
    r=$((r + 1))
done
kill "$spid"; wait "$spid" 2>/dev/null || true; spid=
if [ -n "$s2pid" ]; then kill "$s2pid"; wait "$s2pid" 2>/dev/null || true; s2pid=; fi
if [ "$cases" = 0 ]; then
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi

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
served=$bigdir
if [ -n "$pgdb" ]; then
    bigpg="emb_bench_big_$$"
    bigpgdir=$work/bigpg
    mkdir -p "$bigpgdir"
    cp -p "$bigdir/master.key" "$bigdir/signing.key" "$bigdir/audit.witness" "$bigpgdir/"
    pgadmin "CREATE DATABASE $bigpg ENCODING 'UTF8' TEMPLATE template0"
    echo
    echo "== copying the $nbig-case store into PostgreSQL database $bigpg (embargo db copy)"
    c0=$(date +%s)
    "$E" db copy --from "sqlite:$bigdir/embargo.db" --to "$(pguri "$bigpg")" \
        --witness "$bigpgdir/audit.witness" | sed 's/^/  /'
    echo "  copied in $(( $(date +%s) - c0 )) s; database size" \
        "$(psqlc "$pgdsn" -X -A -t -c "SELECT pg_size_pretty(pg_database_size('$bigpg'))")"
    psqlc "$(pguri "$bigpg")" -X -q -c "VACUUM ANALYZE" >/dev/null
    served=$bigpgdir
fi
tc=$(admin "$served" token add --user u-coord)
tr=$(admin "$served" token add --user u-rare)
bport=$(freeport)
serve "$served" "$bport" "$work/big"
bpid=$last_pid
burl=http://127.0.0.1:$bport
echo
if [ -n "$bigpg" ]; then where="PostgreSQL database $bigpg"; else where="$(du -sh "$bigdir" | cut -f1)"; fi
echo "== store of $nbig cases ($where): GET /api/v1/cases (list), wrk -t1 -c1 -d${secs}s (one client: latency)"
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
echo "round      req/s      p50       p99  non-2xx  cpu/req  db cpu/req"
r=1
while [ "$r" -le "$rounds" ]; do
    d0=$(dbticks)
    set -- $(measured "$bpid" -t1 -c64 -d"${secs}s" -s "$work/rand.lua" -H "Authorization: Bearer $tc" "$burl")
    d1=$(dbticks)
    printf '%-5s %10s %8s %9s %6s %6sus %11s\n' "$r" "$1" "$2" "$3" "$4" "$5" "$(dbcpu "$d0" "$d1" "$6")"
    r=$((r + 1))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
