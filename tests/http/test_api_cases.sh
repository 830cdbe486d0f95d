#!/bin/bash
# The case API end to end against a real `embargo serve` on 127.0.0.1:0,
# with a store initialised in a temporary directory by `embargo admin init`:
# bearer tokens from `embargo admin token add`; submit, read, list and move
# a case through triaged and verified; the refusals with their registry
# codes (no token 401, a bad token 401, publish denied 403 with reasons, a
# foreign organisation's member gets 404, malformed JSON 400, an unknown
# field 400 naming it, a body past http.max_body 413); the decision endpoint;
# audit verify (auditor only); and afterwards every audited read of the
# case is in the chain and `embargo audit verify` passes.
# store backends: sqlite postgresql
set -u
. "$(dirname "$0")/lib.sh"
http_init api

# Not initialised: serve refuses with a message naming the fix.
"$E" serve --listen 127.0.0.1:0 --data "$D/var" >out 2>err && fail "serve started without a store"
grep -q 'not initialised' err || { fail "no 'not initialised' message"; cat err >&2; }

adm admin init
adm admin org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor
adm admin org add --id org-finder --kind reporter_team --jurisdiction CN --name Finder
adm admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
adm admin org add --id org-other --kind product_provider --jurisdiction US --name Other
adm admin user add --id u-coord --role coordinator --org org-platform --verified
adm admin user add --id u-other --role vendor_member --org org-other --verified
adm admin user add --id u-audit --role auditor --org org-platform --verified
adm admin token add --user u-coord; TC=$(cat adm.out)
adm admin token add --user u-other; TO=$(cat adm.out)
adm admin token add --user u-audit; TA=$(cat adm.out)

printf '[http]\nmax_body = 2k\nlog_requests = no\n' >serve.ini
serve_start -c serve.ini

CASE='{"type": "product", "provider_org": "org-vendor", "submitter_org": "org-finder",
 "aware_at": "2026-02-10T09:30:00+08:00",
 "products": [{"vendor": "Example", "name": "EX Router", "model": "EX-1", "versions": "<2.4.1"}],
 "vulnerabilities": [{"name": "EX Router overflow", "gbt_class": "代码问题/资源管理错误",
   "gbt_vector": "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H"}],
 "details": {"title": "SECRET-TITLE-7731"}}'

req 401 GET /api/v1/cases ""
has '"name":"UNAUTHENTICATED"'
req 401 GET /api/v1/cases "emb_notarealtokenatallnotarealtokenatall1234"
req 201 POST /api/v1/cases "$TC" "$CASE"
has '"id":"EMB-'
ID=$(sed -n 's/.*"id":"\(EMB-[0-9]*-[0-9]*\)".*/\1/p' r)
req 200 GET "/api/v1/cases/$ID" "$TC"
has SECRET-TITLE-7731
has '"state":"received"'
req 200 GET "/api/v1/cases?state=received" "$TC"
has "\"$ID\""
req 200 GET "/api/v1/cases?state=triaged" "$TC"
grep -q "$ID" r && fail "state filter ignored"
req 400 GET "/api/v1/cases?state=nowhere" "$TC"
has QUERY_INVALID
req 400 GET "/api/v1/cases?limit=0" "$TC"
req 200 POST "/api/v1/cases/$ID/transition" "$TC" '{"to": "triaged"}'
has '"state":"triaged"'
req 200 POST "/api/v1/cases/$ID/transition" "$TC" '{"to": "verified"}'
req 200 GET "/api/v1/cases/$ID" "$TC"
has '"state":"verified"'
# The forbidden moves.
req 403 POST "/api/v1/cases/$ID/transition" "$TC" '{"to": "published"}'
has '"name":"POLICY_DENIED"'
has '"reasons":\[{'
req 200 GET "/api/v1/cases/$ID/decision?action=transition&to=published" "$TC"
has '"decision":"deny"'
req 200 GET "/api/v1/cases/$ID/decision?action=transition&to=vendor_notified" "$TC"
has '"action":"transition"'
req 400 GET "/api/v1/cases/$ID/decision?action=fly" "$TC"
req 404 GET "/api/v1/cases/$ID" "$TO"
has '"name":"NOT_FOUND"'
grep -q SECRET r && fail "foreign member saw content"
req 404 POST "/api/v1/cases/$ID/transition" "$TO" '{"to": "vendor_notified"}'
has '"name":"NOT_FOUND"'
req 404 GET "/api/v1/cases/EMB-2026-999999" "$TC"
req 400 GET "/api/v1/cases/not-an-id" "$TC"
has PATH_ARG_INVALID
req 200 GET "/api/v1/cases" "$TO"
grep -q "$ID" r && fail "foreign member listed the case"
req 400 POST "/api/v1/cases/$ID/transition" "$TC" '{"to": "triaged"'
has JSON_MALFORMED
req 400 POST "/api/v1/cases/$ID/transition" "$TC" '{"to": "triaged", "colour": "red"}'
has '"detail":"colour'
req 400 POST "/api/v1/cases/$ID/transition" "$TC" '{"to": 7}'
has '"detail":"to'
req 400 POST /api/v1/cases "$TC" '{"type": "product", "wings": 2}'
has JSON_FIELD
req 400 POST /api/v1/cases "$TC" '{"id": "EMB-2026-000009", "type": "product"}'
has '"detail":"id: assigned by the platform"'
req 400 POST /api/v1/cases "$TC" '{"type": "product", "participants": []}'
has '"detail":"participants: assigned by the platform"'
req 400 POST /api/v1/cases "$TC" '{"type": "product", "vulnerabilities": [{"name": "x", "grade_technical": "low"}]}'
has '"name":"GRADE_COMPUTED"'
req 400 POST /api/v1/cases "$TC" '{"type": "product", "vulnerabilities": [{"name": "x", "gbt_vector": "AV:N"}]}'
has '"name":"VECTOR_INVALID"'
req 400 POST /api/v1/cases "$TC" '{"type": "product", "details": {"title": 5}}'
has '"detail":"details.title'
got=$(curl_keep POST /api/v1/cases -H "Authorization: Bearer $TC" -H 'Content-Type: text/plain' \
    --data-binary "$CASE")
[ "$got" = 415 ] || fail "text/plain case: $got, expected 415"
BIG=$(head -c 3000 /dev/zero | tr '\0' a)
req 413 POST /api/v1/cases "$TC" "{\"x\": \"$BIG\"}"
has BODY_TOO_LARGE
# body limit (http.max_body = 2k): 2048 bytes are read (and refused as a case), 2049 are not
pad() { head -c "$1" /dev/zero | tr '\0' a; }
B="{\"x\": \"$(pad 2039)\"}"; [ ${#B} = 2048 ] || fail "pad ${#B}"
req 400 POST /api/v1/cases "$TC" "$B"
has JSON_FIELD
B="{\"x\": \"$(pad 2040)\"}"
req 413 POST /api/v1/cases "$TC" "$B"
# paging: three cases, one per page, cursors chain, no repeats
req 201 POST /api/v1/cases "$TC" "$CASE"
req 201 POST /api/v1/cases "$TC" "$CASE"
seen=
cur=
for i in 1 2 3; do
    req 200 GET "/api/v1/cases?limit=1${cur:+&cursor=$cur}" "$TC"
    seen="$seen $(sed -n 's/.*"items":\[{"id":"\([^"]*\)".*/\1/p' r)"
    cur=$(sed -n 's/.*"next_cursor":"\([^"]*\)".*/\1/p' r)
    if [ $i -lt 3 ] && [ -z "$cur" ]; then fail "page $i has no next_cursor"; break; fi
done
[ -z "$cur" ] || fail "last page has a next_cursor"
[ "$(echo $seen)" = "$ID EMB-2026-000002 EMB-2026-000003" ] || fail "pages: $seen"
req 400 GET "/api/v1/cases?cursor=zzz" "$TC"
req 403 GET /api/v1/audit/verify "$TC"
has '"name":"FORBIDDEN"'
req 200 GET /api/v1/audit/verify "$TA"
has '"intact":true'

serve_stop
# Every read went into the chain (the GETs and the decision reads by
# u-coord), every refusal by the access gate too, and the chain verifies.
"$E" audit verify "${S[@]}" >v.out 2>&1 || { fail "audit verify"; cat v.out >&2; }
# Reads of the case by u-coord: 2 GETs and 2 decision reads; by u-other:
# nothing read, the refused GET and the refused transition audited as
# access refusals. Each with its request id.
if q_ok; then
    n=$(q "select count(*) from audit_events where action = 'case.read' and object = '$ID' and actor = 'user:u-coord' and request_id != ''")
    [ "$n" = 4 ] || fail "audited reads by u-coord: $n, expected 4"
    n=$(q "select count(*) from audit_events where action = 'case.read' and object = '$ID' and actor = 'user:u-other'")
    [ "$n" = 0 ] || fail "reads by u-other: $n, expected 0"
    n=$(q "select count(*) from audit_events where action = 'case.access' and object = '$ID' and actor = 'user:u-other' and decision = 2 and request_id != ''")
    [ "$n" = 2 ] || fail "audited access refusals of u-other: $n, expected 2"
    n=$(q "select count(*) from audit_events where action = 'case.transition' and object = '$ID'")
    [ "$n" -ge 3 ] || fail "audited transitions: $n, expected >= 3 (allowed and denied)"
fi
http_finish
