# Shared by the HTTP shell tests (sourced, not run): a throwaway store and
# server on 127.0.0.1:0, a request helper that checks the status and keeps
# every reply, and the check that each kept reply matches the schema that
# docs/openapi.yaml documents for its route and status
# (tests/http/openapi_responses.py). The store is SQLite, or a fresh
# PostgreSQL database when EMB_TEST_HTTP_STORE=postgresql (tests/http/store.sh:
# STORE, S, q SQL, store_holds TEXT). A test:
#
#     . "$(dirname "$0")/../http/lib.sh"
#     http_init api-foo                  # temp dir $D, store $S, cleanup trap, fail()
#     adm admin init                     # `embargo admin ...` on $D's store
#     serve_start [serve options...]     # sets $URL and $PID
#     req 200 GET /api/v1/cases "$TOKEN" # reply body in $D/r
#     has '"items"'
#     serve_stop                         # SIGTERM; the exit status must be 0
#     http_finish                        # schema check, then the summary
#
# Python: Debian's /usr/bin/python3 with python3-yaml and python3-jsonschema
# (scripts/packages.txt), so the check does not depend on whatever python3
# comes first on PATH. Override with PYTHON=...

E=${EMBARGO:?EMBARGO must point at the embargo binary}
PYTHON=${PYTHON:-/usr/bin/python3}
HTTP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HTTP_ROOT=$(cd "$HTTP_LIB_DIR/../.." && pwd)
. "$HTTP_LIB_DIR/store.sh"
fails=0
PID=
URL=

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# http_init NAME: temp dir, store arguments S, the reply log, cleanup.
http_init() {
    command -v curl >/dev/null || { echo "skipped: curl missing"; exit 77; }
    D=$(mktemp -d "/tmp/emb-${1:-http}-XXXXXX")
    trap http_cleanup EXIT
    cd "$D" || exit 1
    store_init
    mkdir -p "$D/replies"
    : >"$D/replies/index.tsv"
    NREQ=0
}

http_cleanup() {
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; fi
    store_drop
    rm -rf "$D"
}

# adm ARGS...: `embargo ARGS` on the test store; output in $D/adm.out.
adm() { "$E" "$@" "${S[@]}" >"$D/adm.out" 2>"$D/adm.err" || { fail "$*"; cat "$D/adm.err" >&2; }; }

# serve_as NAME DATA [OPTIONS...]: start `embargo serve` on 127.0.0.1:0 with
# data directory DATA, its output in $D/NAME.out and $D/NAME.err; waits for
# the "listening on" line. Sets SERVE_PID and SERVE_URL; a server that does
# not start ends the test.
serve_as() {
    local name=$1 data=$2
    shift 2
    "$E" serve --listen 127.0.0.1:0 --data "$data" "$@" >"$D/$name.out" 2>"$D/$name.err" &
    SERVE_PID=$!
    for _ in $(seq 200); do
        grep -q '^listening on' "$D/$name.out" 2>/dev/null && break
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.05
    done
    SERVE_URL=$(sed -n 's/^listening on //p' "$D/$name.out")
    [ -n "$SERVE_URL" ] || { cat "$D/$name.err" >&2; echo "FAIL: $name did not start"; exit 1; }
}

# serve_start [OPTIONS...]: serve_as with the test store's data directory;
# sets $URL and $PID (stopped by serve_stop and at exit).
serve_start() {
    serve_as serve "$D/var" "$@"
    PID=$SERVE_PID
    URL=$SERVE_URL
}

# node_start NAME DATA: one node of a multi-node test, with ./serve.ini;
# sets URL_NAME and PIDNAME (the test stops its nodes itself).
node_start() {
    serve_as "$1" "$2" -c serve.ini
    eval "URL_$1=\$SERVE_URL PID$1=\$SERVE_PID"
}

# serve_stop: SIGTERM and wait; the server must exit 0.
serve_stop() {
    local rc
    [ -n "$PID" ] || return 0
    kill "$PID"; wait "$PID"; rc=$?; PID=
    [ "$rc" = 0 ] || { fail "server exit $rc after SIGTERM"; tail -40 "$D/serve.err" >&2; }
}

# coord_store TITLE: an initialised store with a vendor, the platform, a
# coordinator and its token ($TC), and in $CASE the body of a report about
# the vendor's product whose details title is TITLE (the read-path tests).
coord_store() {
    adm admin init
    adm admin org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor
    adm admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
    adm admin user add --id u-coord --role coordinator --org org-platform --verified
    adm admin token add --user u-coord; TC=$(cat "$D/adm.out")
    CASE='{"type": "product", "provider_org": "org-vendor", "aware_at": "2026-02-10T09:30:00+08:00",
 "products": [{"vendor": "Example", "name": "EX Router", "model": "EX-1", "versions": "<2.4.1"}],
 "details": {"title": "'"$1"'"}}'
}

# db_lock_take: another process takes the test store's write lock and keeps
# it until db_lock_give (at most 30 s), so that no commit of the server lands
# meanwhile: on SQLite, Python's sqlite3 in BEGIN IMMEDIATE; on PostgreSQL, a
# psql fed through a FIFO holding, in a transaction, the advisory lock every
# write transaction takes first (EMB_PG_WRITE_LOCK, src/store/pg/pg.h).
# db_lock_give releases it and waits for the holder.
db_lock_take() {
    rm -f "$D/lock.held" "$D/lock.go" "$D/lock.in"
    DB_LOCK_RELEASER=
    if [ "$STORE_KIND" = postgresql ]; then
        mkfifo "$D/lock.in"
        store_psql "$STORE" -X -q -v ON_ERROR_STOP=1 <"$D/lock.in" >/dev/null &
        DB_LOCK_PID=$!
        exec 9>"$D/lock.in"
        # \! marks the lock as taken once the SELECT returned
        printf 'BEGIN;\nSELECT pg_advisory_xact_lock(4993720504633873477);\n\\! touch %s\n' \
            "$D/lock.held" >&9
        (for _ in $(seq 600); do [ -e "$D/lock.go" ] && break; sleep 0.05; done
         printf 'COMMIT;\n' >&9) &
        DB_LOCK_RELEASER=$!
        exec 9>&-
    else
        "$PYTHON" - "$D/var/embargo.db" "$D/lock.held" "$D/lock.go" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
for _ in range(600):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.05)
db.execute("COMMIT")
PY
        DB_LOCK_PID=$!
    fi
    for _ in $(seq 200); do [ -e "$D/lock.held" ] && break; sleep 0.05; done
    [ -e "$D/lock.held" ] || fail "the write lock was not taken"
}

db_lock_give() {
    touch "$D/lock.go"
    [ -n "$DB_LOCK_RELEASER" ] && wait "$DB_LOCK_RELEASER"
    wait "$DB_LOCK_PID"
}

# count_events ACTION [OBJECT]: how many audit events of ACTION (on OBJECT)
# the store holds; reads the SQLite file read-only, so it works while
# db_lock_take holds the write lock.
count_events() {
    if [ "$STORE_KIND" = postgresql ]; then
        q "SELECT count(*) FROM audit_events WHERE action = '$1'${2:+ AND object = '$2'}"
        return
    fi
    "$PYTHON" - "$D/var/embargo.db" "$1" "${2:-}" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=30)
sql, args = "SELECT count(*) FROM audit_events WHERE action = ?", [sys.argv[2]]
if sys.argv[3]:
    sql, args = sql + " AND object = ?", args + [sys.argv[3]]
print(db.execute(sql, args).fetchone()[0])
PY
}

# replies_held N: wait (up to 10 s) until the server holds N replies; fails otherwise.
replies_held() {
    local held=0
    for _ in $(seq 200); do
        held=$(curl -s "$URL/metrics" | sed -n 's/^embargo_http_replies_held //p')
        [ "$held" = "$1" ] && return 0
        sleep 0.05
    done
    fail "replies held: $held, expected $1"
}

# keep METHOD PATH STATUS: file the reply in $D/r under the reply log, for
# http_finish's schema check.
keep() {
    NREQ=$((NREQ + 1))
    cp "$D/r" "$D/replies/$NREQ.body"
    cp "$D/h" "$D/replies/$NREQ.head" 2>/dev/null || : >"$D/replies/$NREQ.head"
    printf '%s\t%s\t%s\t%s\n' "$NREQ" "$1" "$2" "$3" >>"$D/replies/index.tsv"
}

# req EXPECTED_STATUS METHOD PATH TOKEN [BODY [CONTENT_TYPE]]: the reply
# body in $D/r, its headers in $D/h. An empty TOKEN sends none.
req() {
    local want=$1 m=$2 p=$3 tok=$4 body=${5-} ct=${6-application/json}
    local args=(-s -o "$D/r" -D "$D/h" -w '%{http_code}' -X "$m")
    [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
    [ -n "$body" ] && args+=(-H "Content-Type: $ct" --data-binary "$body")
    local got; got=$(curl "${args[@]}" "$URL$p")
    keep "$m" "$p" "$got"
    [ "$got" = "$want" ] || { fail "$m $p: status $got, expected $want"; cat "$D/r" >&2; echo >&2; }
}

# curl_keep METHOD PATH CURL_ARGS...: any other request (cookies, multipart,
# custom headers); prints the status, keeps the reply for the schema check.
curl_keep() {
    local m=$1 p=$2 got
    shift 2
    got=$(curl -s -o "$D/r" -D "$D/h" -w '%{http_code}' -X "$m" "$@" "$URL$p")
    keep "$m" "$p" "$got"
    echo "$got"
}

has() { grep -q -- "$1" "$D/r" || { fail "reply lacks $1"; cat "$D/r" >&2; echo >&2; }; }
hasnt() { ! grep -q -- "$1" "$D/r" || { fail "reply has $1"; cat "$D/r" >&2; echo >&2; }; }

# jget EXPR: evaluate a Python expression on the last reply's JSON (as j).
jget() { "$PYTHON" -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$D/r"; }

# http_finish: check every kept reply against docs/openapi.yaml, print the
# summary, exit 0 or 1.
http_finish() {
    serve_stop
    if [ "$NREQ" -gt 0 ]; then
        if "$PYTHON" -c 'import yaml, jsonschema' 2>/dev/null; then
            "$PYTHON" "$HTTP_LIB_DIR/openapi_responses.py" "$HTTP_ROOT/docs/openapi.yaml" \
                "$D/replies" >"$D/schema.out" 2>&1 || { fail "replies differ from docs/openapi.yaml"; cat "$D/schema.out" >&2; }
        else
            fail "python3-yaml and python3-jsonschema are needed for the reply schema check"
        fi
    fi
    if [ "$fails" = 0 ]; then echo "all passed ($NREQ requests, replies match docs/openapi.yaml)"; exit 0; fi
    echo "$fails failed"
    exit 1
}
