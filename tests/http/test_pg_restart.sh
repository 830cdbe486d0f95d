#!/bin/bash
# PostgreSQL restarted under load, end to end: two `embargo serve` nodes on
# one database of a cluster of this test's own (scripts/pg-test-cluster.sh;
# the shared test cluster is left alone), four clients submitting cases as
# fast as they can, alternating nodes; the cluster is restarted in fast mode
# (every session terminated) while they write. Then:
#  - every case a node answered 201 for is in the database: no write that was
#    reported committed is lost;
#  - no write is done twice: the cases in the database are at most the 201s
#    plus the requests answered 5xx (a COMMIT whose outcome the node could
#    not learn is reported as a failure, never as a success, and never
#    retried: src/store/pg/txn.c);
#  - both nodes recover without a restart: each answers 201 again after the
#    cluster is back, and stops cleanly (exit 0);
#  - the chain verifies.
# PostgreSQL only (skipped without EMB_TEST_PG_DSN, unless EMB_TEST_PG_REQUIRED=1).
set -u
if [ -z "${EMB_TEST_PG_DSN:-}" ]; then
    [ "${EMB_TEST_PG_REQUIRED:-}" = 1 ] && { echo "FAIL: EMB_TEST_PG_REQUIRED=1 but EMB_TEST_PG_DSN is not set"; exit 1; }
    echo "skipped: set EMB_TEST_PG_DSN (scripts/pg-test-cluster.sh)"
    exit 77
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
pgenv=$("$ROOT/scripts/pg-test-cluster.sh" start) || { echo "FAIL: cannot start a cluster"; exit 1; }
eval "$pgenv" # this test's own cluster from here on
export EMB_TEST_HTTP_STORE=postgresql
. "$(dirname "$0")/lib.sh"
http_init pg-restart
PIDA= PIDB= WRITERS=
restart_cleanup() {
    for p in $WRITERS $PIDA $PIDB; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    http_cleanup
    cd / && "$ROOT/scripts/pg-test-cluster.sh" stop "$EMB_TEST_PG_DIR"
}
trap restart_cleanup EXIT

adm admin init
adm admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
adm admin org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor
adm admin user add --id u-coord --role coordinator --org org-platform --verified
adm admin token add --user u-coord; TC=$(cat adm.out)
cp -a "$D/var" "$D/varB"

printf '[http]\nlog_requests = no\n' >serve.ini
node_start A "$D/var"
node_start B "$D/varB"

CASE='{"type": "product", "provider_org": "org-vendor", "aware_at": "2026-02-10T09:30:00+08:00",
 "products": [{"vendor": "Example", "name": "EX Router", "model": "EX-1", "versions": "<2.4.1"}],
 "details": {"title": "restart"}}'
# writer K: POST cases until $D/stop exists; one line per request: node, status, start, id.
writer() {
    local k=$1 i=0 n u code t0
    while [ ! -e "$D/stop" ]; do
        if [ $(((i + k) % 2)) = 0 ]; then n=A u=$URL_A; else n=B u=$URL_B; fi
        t0=$(date +%s%N)
        code=$(curl -s -m 30 -o "$D/w$k.body" -w '%{http_code}' -H "Authorization: Bearer $TC" \
            -H 'Content-Type: application/json' --data-binary "$CASE" "$u/api/v1/cases")
        printf '%s %s %s %s\n' "$n" "$code" "$t0" \
            "$(sed -n 's/.*"id":"\(EMB-[0-9]*-[0-9]*\)".*/\1/p' "$D/w$k.body")" >>"$D/w$k.log"
        i=$((i + 1))
    done
}
for k in 1 2 3 4; do writer $k & WRITERS="$WRITERS $!"; done
sleep 2
R0=$(date +%s%N)
(cd / && "$ROOT/scripts/pg-test-cluster.sh" restart "$EMB_TEST_PG_DIR") || fail "the cluster did not restart"
R1=$(date +%s%N)
echo "cluster restarted in $(((R1 - R0) / 1000000)) ms"
sleep 3
touch "$D/stop"
for p in $WRITERS; do wait "$p"; done
WRITERS=
cat "$D"/w*.log >"$D/all.log"

ok=$(awk '$2 == 201' "$D/all.log" | wc -l)
bad5=$(awk '$2 ~ /^5/ || $2 == "000"' "$D/all.log" | wc -l)
other=$(awk '$2 != 201 && $2 !~ /^5/ && $2 != "000"' "$D/all.log" | wc -l)
echo "requests: $(wc -l <"$D/all.log"), 201: $ok, 5xx or no answer: $bad5, other: $other"
[ "$other" = 0 ] || { fail "answers other than 201 and 5xx"; awk '$2 != 201 && $2 !~ /^5/' "$D/all.log" | head >&2; }
awk '$2 == 201 {print $4}' "$D/all.log" | sort >"$D/acked"
q "SELECT id FROM cases ORDER BY id" | sort >"$D/stored"
lost=$(comm -23 "$D/acked" "$D/stored" | wc -l)
[ "$lost" = 0 ] || { fail "$lost cases answered 201 are not in the database"; comm -23 "$D/acked" "$D/stored" | head >&2; }
[ "$(sort -u "$D/acked" | wc -l)" = "$ok" ] || fail "one case id answered 201 twice"
stored=$(wc -l <"$D/stored")
[ "$stored" -le $((ok + bad5)) ] || fail "$stored cases stored for $ok acknowledged and $bad5 failed requests"
# recovered: each node acknowledged a write that started after the cluster was back
for n in A B; do
    after=$(awk -v n=$n -v t="$R1" '$1 == n && $2 == 201 && $3 > t' "$D/all.log" | wc -l)
    [ "$after" -gt 0 ] || fail "node $n acknowledged no write after the restart"
done
# and they go on answering without a restart
for n in A B; do
    eval "URL=\$URL_$n"
    req 201 POST /api/v1/cases "$TC" "$CASE"
done
for n in A B; do
    eval "kill \$PID$n; wait \$PID$n; rc=\$?; PID$n="
    [ "$rc" = 0 ] || { fail "node $n exit $rc after SIGTERM"; tail -20 "$D/$n.err" >&2; }
done
"$E" audit verify "${S[@]}" >"$D/v.out" 2>&1 || { fail "audit verify"; cat "$D/v.out" >&2; }
http_finish
