#!/bin/bash
# Two `embargo serve` nodes on one PostgreSQL database (loopback ports, each
# with its own copy of the data directory: keys and witness, as on two
# machines), driven with conflicting actions at both at once:
#
#  - the same transition, the same second approval (one approver at both
#    nodes) and the publication of one case, sent to node A and node B while
#    another session holds the store's write lock (the advisory lock every
#    write transaction takes first: src/store/pg/txn.c), so both requests are
#    decided concurrently and wait on the lock; released, each action happens
#    exactly once: one 2xx, the other a documented 4xx (the transition 403
#    POLICY_DENIED by SM-1, the approval 403 "cannot approve twice" by R-27,
#    the publication 409 ALREADY_PUBLISHED), and the chain holds one allowed
#    event of it;
#  - a deadline both schedulers could fire (a tenant provider's case, aware
#    since 49 h, interval 1 s): exactly one node leads (metrics), the alerts
#    and escalation are recorded once, in one task.fire event;
#  - both nodes commit work (cases created at each);
#  - kill -9 of the leading node: the other takes over the scheduled work (a
#    deadline that passes after the kill is fired) within 30 s, measured;
#  - the chain is one chain: `embargo audit verify` with either node's
#    witness, and GET /api/v1/audit/verify at the surviving node.
# PostgreSQL only (skipped without EMB_TEST_PG_DSN, unless EMB_TEST_PG_REQUIRED=1).
set -u
export EMB_TEST_HTTP_STORE=postgresql
. "$(dirname "$0")/lib.sh"
http_init pg-nodes
PIDA= PIDB=
nodes_cleanup() {
    for p in $PIDA $PIDB; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    http_cleanup
}
trap nodes_cleanup EXIT

adm admin init
adm admin filing set --number NVDB-BA-2026-0001 --filed-at 2026-01-05T09:00:00+08:00 \
    --channel web --complaint https://www.nvdb.org.cn --policy https://vuln.example.cn/policy
adm admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
adm admin org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor
adm admin org add --id org-finder --kind reporter_team --jurisdiction CN --name Finder
for u in coord coord2 coord3; do
    adm admin user add --id "u-$u" --role coordinator --org org-platform --verified
done
adm admin user add --id u-vendor --role vendor_member --org org-vendor --verified
adm admin user add --id u-aud --role auditor --org org-platform --verified
declare -A TOK
for u in coord coord2 coord3 vendor aud; do adm admin token add --user "u-$u"; TOK[$u]=$(cat adm.out); done
TC=${TOK[coord]} TC2=${TOK[coord2]} TC3=${TOK[coord3]} TV=${TOK[vendor]} TA=${TOK[aud]}
cp -a "$D/var" "$D/varB" # node B's own keys and witness (the same keys: one installation)

printf '[http]\nlog_requests = no\n[scheduler]\ninterval = 1\n' >serve.ini
node_start A "$D/var"
node_start B "$D/varB"
URL=$URL_A

# at NODE STATUS METHOD PATH TOKEN [BODY]: lib.sh's req at one node.
at() {
    local n=$1; shift
    eval "URL=\$URL_$n"
    req "$@"
}

# Hold the store's write lock from psql until release_lock.
hold_lock() {
    rm -f "$D/held" "$D/psql.in"
    mkfifo "$D/psql.in"
    store_psql "$STORE" -X -q -v ON_ERROR_STOP=1 <"$D/psql.in" >/dev/null &
    HOLDER=$!
    exec 9>"$D/psql.in"
    printf 'BEGIN;\nSELECT pg_advisory_xact_lock(4993720504633873477);\n\\! touch %s\n' "$D/held" >&9
    for _ in $(seq 200); do [ -e "$D/held" ] && return 0; sleep 0.05; done
    fail "the write lock was not taken"
}
release_lock() {
    printf 'COMMIT;\n' >&9
    exec 9>&-
    wait "$HOLDER"
}

# race NAME METHOD PATH TOKEN BODY: the same request at A and at B, both
# waiting on the write lock; RACE="statusA statusB".
race() {
    local name=$1 m=$2 p=$3 tok=$4 body=$5 n
    hold_lock
    for n in A B; do
        eval "u=\$URL_$n"
        curl -s -o "$D/race-$name-$n.body" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $tok" \
            -H 'Content-Type: application/json' --data-binary "$body" "$u$p" >"$D/race-$name-$n.code" &
        eval "rp$n=\$!"
    done
    sleep 0.5 # both are in their handlers, waiting for the lock (lock_timeout is 5 s)
    for n in A B; do
        eval "p_=\$rp$n"
        kill -0 "$p_" 2>/dev/null || fail "$name: node $n answered while the write lock was held"
    done
    release_lock
    wait "$rpA" "$rpB"
    RACE="$(cat "$D/race-$name-A.code") $(cat "$D/race-$name-B.code")"
}

# once NAME "A B" OK_STATUS LOSER_STATUS LOSER_TEXT: exactly one of the two got
# OK_STATUS, the other LOSER_STATUS with LOSER_TEXT in its body.
WINS_A=0 WINS_B=0
once() {
    local name=$1 a=${2% *} b=${2#* } ok=$3 no=$4 why=$5
    if [ "$a" = "$ok" ] && [ "$b" = "$no" ] && grep -q -- "$why" "$D/race-$name-B.body"; then
        WINS_A=$((WINS_A + 1))
    elif [ "$b" = "$ok" ] && [ "$a" = "$no" ] && grep -q -- "$why" "$D/race-$name-A.body"; then
        WINS_B=$((WINS_B + 1))
    else
        fail "$name: statuses A=$a B=$b, expected one $ok and one $no ($why)"
        head -c 300 "$D/race-$name-A.body" >&2; echo >&2; head -c 300 "$D/race-$name-B.body" >&2; echo >&2
    fi
}
# events ACTION OBJECT: how many such events the chain holds.
events() { q "SELECT count(*) FROM audit_events WHERE action = '$1' AND object = '$2'"; }
jid() { sed -n 's/.*"id":"\(EMB-[0-9]*-[0-9]*\)".*/\1/p' "$D/r"; }

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
CASE='{"type": "product", "provider_org": "org-vendor", "submitter_org": "org-finder",
 "aware_at": "AWARE",
 "products": [{"vendor": "Example", "name": "EX Router", "model": "EX-1", "versions": "<2.4.1"}],
 "vulnerabilities": [{"name": "EX Router overflow", "gbt_class": "code.resource",
   "gbt_vector": "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
   "technical_characteristics": "stack overflow", "harm": "remote code execution",
   "impact_scope": "EX-1 before 2.4.1"}],
 "details": {"title": "two nodes"}}'
RECENT=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)

# ---- conflicting actions, three cases, each step at one node or the other -------------------
ROUNDS=3
for i in $(seq $ROUNDS); do
    if [ $((i % 2)) = 1 ]; then X=A Y=B; else X=B Y=A; fi
    at $X 201 POST /api/v1/cases "$TC" "${CASE/AWARE/$RECENT}"
    C=$(jid)
    [ -n "$C" ] || { fail "case $i not created"; continue; }
    # the same transition at both
    race "triage-$i" POST "/api/v1/cases/$C/transition" "$TC" '{"to": "triaged"}'
    once "triage-$i" "$RACE" 200 403 '"name":"POLICY_DENIED"'
    [ "$(q "SELECT count(*) FROM audit_events WHERE action = 'case.transition' AND object = '$C' AND decision = 1")" = 1 ] ||
        fail "case $C: triaged more than once"
    at $Y 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "verified"}'
    at $X 201 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-vendor", "role": "vendor"}'
    at $Y 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "vendor_notified"}'
    at $X 200 PATCH "/api/v1/cases/$C/participants/org-vendor" "$TV" '{"status": "active"}'
    at $Y 201 POST "/api/v1/cases/$C/facts" "$TV" "{\"nvdb_reported_at\": \"$NOW\", \"nvdb_ref\": \"NVDB-$i\"}"
    at $X 201 POST "/api/v1/cases/$C/facts" "$TV" "{\"fix_available_at\": \"$NOW\", \"fix_ref\": \"firmware 2.4.1\"}"
    at $Y 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "fix_available"}'
    at $X 200 PUT "/api/v1/cases/$C/advisory" "$TC" '{"title": "EX Router overflow", "remediation": "Upgrade the firmware to 2.4.1 or later."}'
    at $Y 201 POST "/api/v1/cases/$C/approvals" "$TC2" ''
    # the same second approver at both
    race "approve-$i" POST "/api/v1/cases/$C/approvals" "$TC3" ''
    once "approve-$i" "$RACE" 201 403 'cannot approve twice'
    at $X 200 GET "/api/v1/cases/$C/advisory" "$TC"
    has '"approvals":2'
    # the same transition again, then the publication, at both
    race "approved-$i" POST "/api/v1/cases/$C/transition" "$TC" '{"to": "approved"}'
    once "approved-$i" "$RACE" 200 403 '"name":"POLICY_DENIED"'
    race "publish-$i" POST "/api/v1/cases/$C/publish" "$TC" '{"channel": "web"}'
    once "publish-$i" "$RACE" 200 409 '"name":"ALREADY_PUBLISHED"'
    at $Y 200 GET "/api/v1/cases/$C" "$TC"
    has '"state":"published"'
    n=$(q "SELECT count(*) FROM audit_events WHERE action = 'advisory.approve' AND object = '$C' AND actor = 'user:u-coord3' AND decision = 1")
    [ "$n" = 1 ] || fail "case $C: the approval of u-coord3 allowed $n times, expected 1"
    n=$(q "SELECT count(*) FROM audit_events WHERE action = 'advisory.publish' AND object = '$C' AND decision = 1")
    [ "$n" = 1 ] || fail "case $C: published $n times, expected 1"
    [ "$(q "SELECT count(*) FROM publications WHERE case_id = '$C'")" = 1 ] || fail "case $C: publication rows"
    n=$(q "SELECT count(*) FROM audit_events WHERE action = 'case.transition' AND object = '$C' AND decision = 1")
    [ "$n" = 6 ] || fail "case $C: transitions allowed: $n, expected 6"
done
echo "races won: node A $WINS_A, node B $WINS_B (of $((ROUNDS * 4)))"

# ---- both nodes commit work ------------------------------------------------------------------
at A 201 POST /api/v1/cases "$TC" "${CASE/AWARE/$RECENT}"
at B 201 POST /api/v1/cases "$TC" "${CASE/AWARE/$RECENT}"
CA=$(q "SELECT count(*) FROM cases")
[ "$CA" = $((ROUNDS + 2)) ] || fail "cases in the database: $CA, expected $((ROUNDS + 2))"

# ---- a deadline both schedulers could fire ----------------------------------------------------
leader() {
    local n m
    for n in A B; do
        eval "u=\$URL_$n"
        m=$(curl -s "$u/metrics" | sed -n 's/^embargo_scheduler_leader //p')
        [ "$m" = 1 ] && printf '%s' "$n"
    done
}
OLD=$(date -u -d '-49 hours' +%Y-%m-%dT%H:%M:%SZ)
at B 201 POST /api/v1/cases "$TC" "${CASE/AWARE/$OLD}"
DL=$(jid)
fired() { q "SELECT count(*) FROM tasks WHERE case_id = '$1' AND kind = 'escalate'"; }
for _ in $(seq 150); do [ "$(fired "$DL")" = 1 ] && break; sleep 0.2; done
[ "$(fired "$DL")" = 1 ] || fail "the deadline of $DL was not fired"
sleep 2.5 # two more rounds: nothing fires twice
[ "$(events task.fire "$DL")" = 1 ] || fail "task.fire events of $DL: $(events task.fire "$DL"), expected 1"
[ "$(q "SELECT count(*) FROM tasks WHERE case_id = '$DL'")" = 5 ] ||
    fail "tasks of $DL: $(q "SELECT count(*) FROM tasks WHERE case_id = '$DL'"), expected 5"
L=$(leader)
case $L in
A | B) echo "the leader is node $L" ;;
*) fail "leaders: '$L', expected exactly one" ;;
esac

# ---- kill -9 the leader: the other takes over ------------------------------------------------
if [ "$L" = A ] || [ "$L" = B ]; then
    if [ "$L" = A ]; then S_=B; else S_=A; fi
    eval "kill -9 \$PID$L; wait \$PID$L 2>/dev/null; PID$L="
    T0=$(date +%s%N)
    at $S_ 201 POST /api/v1/cases "$TC" "${CASE/AWARE/$OLD}" # its deadline passed: the next round fires it
    TK=$(jid)
    took=
    for _ in $(seq 300); do
        if [ "$(fired "$TK")" = 1 ]; then took=$((($(date +%s%N) - T0) / 1000000)); break; fi
        sleep 0.1
    done
    if [ -z "$took" ]; then
        fail "node $S_ did not take over the scheduled work within 30 s"
    else
        echo "takeover: node $S_ fired the deadline ${took} ms after node $L was killed"
        [ "$took" -le 30000 ] || fail "takeover took $took ms"
    fi
    [ "$(leader)" = "$S_" ] || fail "node $S_ does not report leadership"
    [ "$(events task.fire "$TK")" = 1 ] || fail "task.fire events of $TK: $(events task.fire "$TK")"
    grep -q 'this node leads scheduled work' "$D/$S_.err" || fail "node $S_ did not log its leadership"
    URL=$(eval "echo \$URL_$S_")
    req 200 GET /api/v1/audit/verify "$TA"
    has '"intact":true'
    eval "kill \$PID$S_; wait \$PID$S_; rc=\$?; PID$S_="
    [ "$rc" = 0 ] || fail "node $S_ exit $rc after SIGTERM"
fi
PID=

# ---- one chain ---------------------------------------------------------------------------------
"$E" audit verify "${S[@]}" >"$D/v.out" 2>&1 || { fail "audit verify (node A's witness)"; cat "$D/v.out" >&2; }
"$E" audit verify --store "$STORE" --master-key "$D/varB/master.key" --signing-key "$D/varB/signing.key" \
    --witness "$D/varB/audit.witness" >"$D/v.out" 2>&1 || { fail "audit verify (node B's witness)"; cat "$D/v.out" >&2; }
URL=
http_finish
