#!/bin/bash
# Everything a case holds, over HTTP, against a real `embargo serve` on
# 127.0.0.1:0 (store made by `embargo admin init` in a temporary folder):
#
#  - the whole life of a product case: report (by a reporter), triage,
#    verify, vulnerabilities with vectors, share with the vendor, notify,
#    the vendor acknowledges (accepting its invitation), messages and
#    attachments both ways, NVDB report recorded, fix recorded, advisory
#    drafted (the text gate sees a live target), two approvals, publish;
#  - the life of an event case up to tracking, never publishable;
#  - at each step the forbidden moves with their exact status and registry
#    name: wrong role, foreign or unrelated organisation (404 as a missing
#    case), too early, same approver twice, the writer approving, publish
#    without a fix, on an unfiled channel, sharing with a foreign org;
#  - limits at max and max+1 for every new body field, list and upload;
#    malformed multipart bodies answered 400/413/415, never a crash;
#  - afterwards: the server stops cleanly, the audit chain verifies and
#    holds the access refusals, and no secret is in the database file.
# store backends: sqlite postgresql
set -u
E=${EMBARGO:?EMBARGO must point at the embargo binary}
command -v curl >/dev/null || { echo "skipped: curl missing"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 missing"; exit 77; }
PY=$(python3 -c 'import sys; print(sys.executable)')   # the interpreter itself, not a shim
D=$(mktemp -d /tmp/emb-caseapi-XXXXXX)
PID=
. "$(dirname "$0")/store.sh"
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; store_drop; rm -rf "$D"; }
trap cleanup EXIT
cd "$D" || exit 1
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
store_init
adm() { "$E" "$@" "${S[@]}" >"$D/adm.out" 2>"$D/adm.err" || { fail "$*"; cat "$D/adm.err" >&2; }; }
tok() { adm admin token add --user "$1"; cat "$D/adm.out"; }

adm admin init
for o in "org-platform coordinator CN" "org-vendor product_provider CN" \
         "org-finder reporter_team CN" "org-down product_provider CN" \
         "org-us product_provider US" "org-other product_provider CN" \
         "org-oper network_operator CN"; do
    set -- $o
    adm admin org add --id "$1" --kind "$2" --jurisdiction "$3" --name "Org $1"
done
adm admin user add --id u-coord --role coordinator --org org-platform --verified
adm admin user add --id u-coord2 --role coordinator --org org-platform --verified
adm admin user add --id u-coord3 --role coordinator --org org-platform --verified
adm admin user add --id u-rep --role reporter --org org-finder --verified
adm admin user add --id u-vendor --role vendor_member --org org-vendor --verified
adm admin user add --id u-down --role vendor_member --org org-down --verified
adm admin user add --id u-other --role vendor_member --org org-other --verified
adm admin org add --id org-audit --kind coordinator --jurisdiction CN --name Audit
adm admin user add --id u-aud --role auditor --org org-audit --verified
adm admin user add --id u-admin --role admin --org org-platform --verified
TC=$(tok u-coord); TC2=$(tok u-coord2); TC3=$(tok u-coord3); TR=$(tok u-rep)
TV=$(tok u-vendor); TD=$(tok u-down); TO=$(tok u-other); TA=$(tok u-aud); TM=$(tok u-admin)
adm admin filing set --number NVDB-BA-2026-0001 --filed-at 2026-01-05T09:00:00+08:00 \
    --channel web --channel rss --complaint https://www.nvdb.org.cn --policy https://vuln.example.cn/policy

# Uploads up to 64 KiB; bodies up to 256 KiB (a 64 KiB message fits).
printf '[http]\nmax_body = 256k\nlog_requests = no\n[attachments]\nmax_size = 64k\n' >serve.ini
"$E" serve -c serve.ini --check-config >/dev/null 2>&1 || fail "check-config"
printf '[http]\nmax_body = 64k\n[attachments]\nmax_size = 64k\n' >bad.ini
"$E" serve -c bad.ini --check-config >/dev/null 2>bad.err && fail "an upload limit above the body limit was accepted"
grep -q 'raise http.max_body' bad.err || fail "no message for attachments.max_size > http.max_body"
"$E" serve -c serve.ini --listen 127.0.0.1:0 --data "$D/var" >serve.out 2>serve.err &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' serve.out 2>/dev/null && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' serve.out)
[ -n "$URL" ] || { cat serve.err >&2; echo "FAIL: server did not start"; exit 1; }

# req STATUS METHOD PATH TOKEN [BODY]: JSON request; the reply body in $D/r.
req() {
    local want=$1 m=$2 p=$3 tok=$4 body=${5-}
    local args=(-s -o "$D/r" -w '%{http_code}' -X "$m" -D "$D/h")
    [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    local got; got=$(curl "${args[@]}" "$URL$p")
    [ "$got" = "$want" ] || { fail "$m $p: status $got, expected $want"; head -c 600 "$D/r" >&2; echo >&2; }
}
# reqf STATUS METHOD PATH TOKEN FILE: the body from a file (large bodies).
reqf() {
    local got; got=$(curl -s -o "$D/r" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $4" \
        -H 'Content-Type: application/json' --data-binary "@$5" "$URL$3")
    [ "$got" = "$1" ] || { fail "$2 $3 (@$5): status $got, expected $1"; head -c 600 "$D/r" >&2; echo >&2; }
}
# up STATUS PATH TOKEN CURL-ARGS...: a multipart upload.
up() {
    local want=$1 p=$2 t=$3; shift 3
    local got; got=$(curl -s -o "$D/r" -w '%{http_code}' -H "Authorization: Bearer $t" "$@" "$URL$p")
    [ "$got" = "$want" ] || { fail "upload $p $*: status $got, expected $want"; head -c 600 "$D/r" >&2; echo >&2; }
}
# raw STATUS PATH TOKEN CONTENT-TYPE FILE: a hand-made body.
raw() {
    local got; got=$(curl -s -o "$D/r" -w '%{http_code}' -H "Authorization: Bearer $3" \
        -H "Content-Type: $4" --data-binary "@$5" "$URL$2")
    [ "$got" = "$1" ] || { fail "raw $2 ($5): status $got, expected $1"; head -c 600 "$D/r" >&2; echo >&2; }
}
has() { grep -q -- "$1" "$D/r" || { fail "reply lacks $1"; head -c 600 "$D/r" >&2; echo >&2; }; }
hasnt() { grep -q -- "$1" "$D/r" && { fail "reply has $1"; head -c 600 "$D/r" >&2; echo >&2; }; }
# err NAME: the reply is the registry error NAME
err() { has "\"name\":\"$1\""; }
# j EXPR: a Python expression over the reply J
j() { "$PY" -S -c "import json,sys; J=json.load(open('$D/r')); print($1)"; }
pad() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
YEAR=$(date -u +%Y)

CASE='{"type": "product", "provider_org": "org-vendor", "submitter_org": "org-finder",
 "aware_at": "2026-02-10T09:30:00+08:00",
 "products": [{"vendor": "Example", "name": "EX Router", "model": "EX-1", "versions": "<2.4.1"}],
 "vulnerabilities": [{"name": "EX Router overflow", "gbt_class": "code.resource",
   "gbt_vector": "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
   "technical_characteristics": "stack overflow", "harm": "remote code execution",
   "impact_scope": "EX-1 before 2.4.1"}],
 "details": {"title": "SECRET-TITLE-5521", "contact": "SECRET-CONTACT-8812"}}'

############################################################ the product case
# 1. The report, by a reporter.
req 201 POST /api/v1/cases "$TR" "$CASE"
C=$(j 'J["id"]')
req 400 POST /api/v1/cases "$TR" '{"type": "product", "participants": [{"org": "org-other", "role": "vendor"}]}'
err JSON_FIELD; has 'participants: assigned by the platform'
req 400 POST /api/v1/cases "$TR" '{"type": "product", "submitter": "u-coord"}'
has 'submitter: assigned by the platform'
# 2. Who sees it: the submitter, coordinators, auditors; not vendors (yet), others, admins.
req 200 GET "/api/v1/cases/$C" "$TR"
has SECRET-CONTACT-8812; has '"submitter":"u-rep"'
[ "$(j 'J["vulnerabilities"][0]["grade_comprehensive"]')" = critical ] || fail "grade not computed"
req 200 GET "/api/v1/cases/$C" "$TA"
for t in "$TV" "$TO" "$TM"; do
    req 404 GET "/api/v1/cases/$C" "$t"; err NOT_FOUND; has '"detail":"no such case"'; hasnt SECRET
done
req 200 GET /api/v1/cases "$TR"; has "\"$C\""
req 200 GET /api/v1/cases "$TV"; hasnt "\"$C\""
req 200 GET /api/v1/cases "$TM"; hasnt "\"$C\""
req 200 GET /api/v1/cases "$TA"; has "\"$C\""
# 3. Triage: not the reporter's move.
req 403 POST "/api/v1/cases/$C/transition" "$TR" '{"to": "triaged"}'
err FORBIDDEN; has 'case.transition: not allowed for your role'
req 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "triaged"}'
# 4. Verify; too early for a fix, for drafting, for publishing.
req 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "verified"}'
req 403 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "fix_available"}'
err POLICY_DENIED; has '"rule":"SM-1"'
req 403 POST "/api/v1/cases/$C/publish" "$TC" '{"channel": "web"}'
err POLICY_DENIED

# 5. Vulnerabilities: vectors parsed, grades and scores computed, never typed.
V='{"name": "EX Router XSS", "cwe": "CWE-79",
  "gbt_vector": "GBT30279/AV:N/AC:H/PR:L/UI:R/C:L/I:N/A:N/E:H/RL:L/S:L",
  "cvss31": "CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:R/C:L/I:L/A:N",
  "cvss40": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N",
  "related_ids": ["cve-2025-31337", "CNVD-2025-01234"]}'
req 201 POST "/api/v1/cases/$C/vulnerabilities" "$TC" "$V"
[ "$(j 'J["n"]')" = 2 ] || fail "vulnerability number"
[ "$(j 'J["gbt_class"]')" = code.input ] || fail "class from the CWE"
[ "$(j 'J["grade_technical"]')" = low ] || fail "technical grade"
[ "$(j 'J["cvss31"]')" = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N" ] || fail "canonical cvss31"
[ "$(j 'J["scores"]["cvss31"]["base"]')" = 5.4 ] || fail "cvss31 base score: $(j 'J["scores"]')"
[ "$(j 'J["scores"]["cvss40"]["severity"]')" != "" ] || fail "cvss40 score"
[ "$(j 'J["related_ids"][0]')" = CVE-2025-31337 ] || fail "related id normalised"
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "grade_technical": "low"}'
err GRADE_COMPUTED; has 'grade_technical: computed from gbt_vector'
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "grade_comprehensive": "high"}'
err GRADE_COMPUTED
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "gbt_vector": "AV:N/AC:L"}'
err VECTOR_INVALID; has 'gbt_vector: '
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "cvss31": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}'
err VECTOR_INVALID; has 'cvss31: a CVSS 3.1 vector is expected'
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "cvss40": "CVSS:4.0/AV:N"}'
err VECTOR_INVALID
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "related_ids": ["CVE-25-1"]}'
err IDENT_INVALID
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" "{\"name\": \"x\", \"related_ids\": [\"CVE-$((YEAR + 2))-1234\"]}"
err IDENT_INVALID
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "related_ids": ["CVE-2025-1111", "cve-2025-1111"]}'
err IDENT_INVALID
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "gbt_class": "nonsense"}'
err JSON_FIELD
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"cwe": "CWE-79"}'
has 'name: required'
req 400 POST "/api/v1/cases/$C/vulnerabilities" "$TC" '{"name": "x", "scores": {}}'
err JSON_FIELD
req 404 POST "/api/v1/cases/$C/vulnerabilities" "$TV" "$V"     # not shared with the vendor yet
req 403 POST "/api/v1/cases/$C/vulnerabilities" "$TR" "$V"     # the reporter reads, never writes
err FORBIDDEN
req 200 PATCH "/api/v1/cases/$C/vulnerabilities/2" "$TC" '{"cwe": "CWE-89", "gbt_class": "代码问题/输入验证错误"}'
[ "$(j 'J["cwe"]')" = CWE-89 ] || fail "patch cwe"
[ "$(j 'J["name"]')" = "EX Router XSS" ] || fail "patch kept the name"
[ "$(j 'J["grade_technical"]')" = low ] || fail "patch kept the grade"
req 400 PATCH "/api/v1/cases/$C/vulnerabilities/2" "$TC" '{}'
has 'nothing to change'
req 400 PATCH "/api/v1/cases/$C/vulnerabilities/2" "$TC" '{"name": ""}'
req 404 PATCH "/api/v1/cases/$C/vulnerabilities/3" "$TC" '{"cwe": "CWE-1"}'
err NOT_FOUND; has 'no such vulnerability'
req 400 PATCH "/api/v1/cases/$C/vulnerabilities/9" "$TC" '{"cwe": "CWE-1"}'
err PATH_ARG_INVALID
req 400 PATCH "/api/v1/cases/$C/vulnerabilities/0" "$TC" '{"cwe": "CWE-1"}'
req 200 GET "/api/v1/cases/$C/vulnerabilities" "$TR"
[ "$(j 'len(J["items"])')" = 2 ] || fail "two vulnerabilities"
[ "$(j 'J["items"][1]["scores"]["cvss31"]["severity"]')" = Medium ] || fail "listed score"

# 6. Sharing: not with a foreign org other than the provider (R-30); then the vendor.
req 403 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-us", "role": "upstream_vendor"}'
err POLICY_DENIED; has '"rule":"R-30"'
req 400 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-nope", "role": "vendor"}'
err ORG_UNKNOWN
req 400 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org vendor", "role": "vendor"}'
err JSON_FIELD
req 400 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-vendor", "role": "king"}'
err JSON_FIELD
req 400 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-vendor", "role": "vendor", "status": "removed"}'
req 403 POST "/api/v1/cases/$C/participants" "$TR" '{"org": "org-vendor", "role": "vendor"}'
err FORBIDDEN
req 201 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-vendor", "role": "vendor"}'
has '"status":"invited"'; has '"decision":"allow"'
req 201 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-finder", "role": "reporter", "status": "active"}'
req 201 POST "/api/v1/cases/$C/participants" "$TC" '{"org": "org-platform", "role": "coordinator", "status": "active"}'
# The vendor now sees the case, without who reported and how to reach them.
req 200 GET "/api/v1/cases/$C" "$TV"
has SECRET-TITLE-5521; hasnt SECRET-CONTACT; hasnt u-rep; hasnt org-finder; hasnt '"submitter'
req 200 GET "/api/v1/cases/$C/participants" "$TV"
[ "$(j '",".join(sorted(p["org"] for p in J["items"]))')" = "org-platform,org-vendor" ] || fail "vendor sees other participants"
req 200 GET "/api/v1/cases/$C/participants" "$TC"
[ "$(j 'len(J["items"])')" = 3 ] || fail "coordinator sees every participant"
[ "$(j '[p["jurisdiction"] for p in J["items"] if p["org"]=="org-vendor"][0]')" = CN ] || fail "org entry"
req 200 GET /api/v1/cases "$TV"; has "\"$C\""
req 200 GET /api/v1/cases "$TD"; hasnt "\"$C\""
req 403 POST "/api/v1/cases/$C/vulnerabilities" "$TV" "$V"
err FORBIDDEN; has 'vulnerabilities.write'
req 403 POST "/api/v1/cases/$C/participants" "$TV" '{"org": "org-down", "role": "downstream_vendor"}'

# 7. Notify the vendor (records vendor_notified_at).
req 403 POST "/api/v1/cases/$C/transition" "$TV" '{"to": "vendor_notified"}'
req 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "vendor_notified"}'
req 200 GET "/api/v1/cases/$C" "$TC"; has '"vendor_notified_at":"'

# 8. The vendor acknowledges: it accepts its invitation; only for itself, only accept/decline.
req 403 PATCH "/api/v1/cases/$C/participants/org-finder" "$TV" '{"status": "declined"}'
err FORBIDDEN; has 'participants.status'
req 403 PATCH "/api/v1/cases/$C/participants/org-vendor" "$TV" '{"status": "removed"}'
err FORBIDDEN
req 404 PATCH "/api/v1/cases/$C/participants/org-down" "$TC" '{"status": "active"}'
has 'no such participant'
req 400 PATCH "/api/v1/cases/$C/participants/org-vendor" "$TV" '{"status": "happy"}'
req 200 PATCH "/api/v1/cases/$C/participants/org-vendor" "$TV" '{"status": "active"}'
has '"status":"active"'; has '"acknowledgement":{'; has '"decision":"allow"'
req 200 GET "/api/v1/cases/$C" "$TV"; has '"state":"vendor_acked"'

# 9. Messages: shared both ways; internal notes never reach vendors or reporters.
req 201 POST "/api/v1/cases/$C/messages" "$TR" '{"text": "SECRET-MSG-REPORTER-4401 details attached"}'
req 201 POST "/api/v1/cases/$C/messages" "$TC" '{"text": "SECRET-NOTE-INTERNAL-7720", "internal": true}'
has '"internal":true'
req 201 POST "/api/v1/cases/$C/messages" "$TV" '{"text": "we are on it"}'
req 403 POST "/api/v1/cases/$C/messages" "$TV" '{"text": "sneaky", "internal": true}'
err FORBIDDEN; has 'messages.internal'
req 403 POST "/api/v1/cases/$C/messages" "$TR" '{"text": "sneaky", "internal": true}'
req 400 POST "/api/v1/cases/$C/messages" "$TR" '{"text": ""}'
req 400 POST "/api/v1/cases/$C/messages" "$TR" '{"text": "x", "internal": "yes"}'
req 403 POST "/api/v1/cases/$C/messages" "$TA" '{"text": "auditors do not talk"}'
req 200 GET "/api/v1/cases/$C/messages" "$TV"
hasnt SECRET-NOTE-INTERNAL; has SECRET-MSG-REPORTER-4401; hasnt '"internal":true'
[ "$(j 'J["items"][0]["author"]')" = reporter ] || fail "the reporter's name reached the vendor"
[ "$(j 'J["items"][1]["author"]')" = u-vendor ] || fail "own message author"
req 200 GET "/api/v1/cases/$C/messages" "$TR"
hasnt SECRET-NOTE-INTERNAL
[ "$(j 'J["items"][1]["author"]')" = vendor ] || fail "vendor author shown to the reporter: $(j 'J["items"]')"
req 200 GET "/api/v1/cases/$C/messages" "$TA"
has SECRET-NOTE-INTERNAL; has '"author":"u-rep"'
req 200 GET "/api/v1/cases/$C/messages?limit=1" "$TC"
[ "$(j 'len(J["items"])')" = 1 ] || fail "page of one"
CUR=$(j 'J["next_cursor"]')
req 200 GET "/api/v1/cases/$C/messages?limit=1&cursor=$CUR" "$TC"
[ "$(j 'J["items"][0]["id"]')" = 2 ] || fail "second page"
req 200 GET "/api/v1/cases/$C/messages?limit=200&cursor=3" "$TC"
[ "$(j 'len(J["items"])')" = 0 ] || fail "after the last"
hasnt next_cursor
req 400 GET "/api/v1/cases/$C/messages?limit=201" "$TC"; err QUERY_INVALID
req 400 GET "/api/v1/cases/$C/messages?limit=0" "$TC"; err QUERY_INVALID
req 400 GET "/api/v1/cases/$C/messages?cursor=abc" "$TC"; err QUERY_INVALID
req 400 GET "/api/v1/cases/$C/messages?cursor=01" "$TC"; err QUERY_INVALID
req 400 GET "/api/v1/cases/$C/messages?sort=asc" "$TC"; err QUERY_INVALID
# text at EMB_STORE_MESSAGE_MAX (65536 bytes) and one more
printf '{"text": "%s"}' "$(pad 65536 m)" >msg-max.json
printf '{"text": "%s"}' "$(pad 65537 m)" >msg-over.json
reqf 201 POST "/api/v1/cases/$C/messages" "$TC" msg-max.json
reqf 400 POST "/api/v1/cases/$C/messages" "$TC" msg-over.json
err JSON_FIELD; has 'text: longer than 65536 bytes'

# 10. Attachments: multipart, class allowlists, the size limit, downloads as attachments.
printf 'print("SECRET-POC-3391")\n' >poc.py
up 201 "/api/v1/cases/$C/attachments" "$TR" -F class=poc -F "file=@poc.py"
AID=$(j 'J["id"]')
[ "$(j 'J["sha256"]')" = "$(sha256sum poc.py | cut -d' ' -f1)" ] || fail "upload hash"
curl -s -H "Authorization: Bearer $TV" "$URL/api/v1/cases/$C/attachments/$AID" -o got.py -D hdr
cmp -s got.py poc.py || fail "downloaded bytes differ"
grep -qi '^Content-Disposition: attachment; filename="poc.py"' hdr || fail "not an attachment: $(cat hdr)"
grep -qi '^Content-Type: application/octet-stream' hdr || fail "download type"
req 403 GET "/api/v1/cases/$C/attachments/$AID" "$TA"; err FORBIDDEN   # auditors never download
req 404 GET "/api/v1/cases/$C/attachments/att-99" "$TC"; has 'no such attachment'
req 404 GET "/api/v1/cases/$C/attachments/$AID" "$TO"; has 'no such case'
req 200 GET "/api/v1/cases/$C/attachments" "$TV"
[ "$(j 'J["items"][0]["name"]')" = poc.py ] || fail "attachment list name"
[ "$(j 'J["items"][0]["size"]')" = "$(stat -c %s poc.py)" ] || fail "attachment list size"
[ "$(j 'J["items"][0]["class"]')" = poc ] || fail "attachment list class"
printf 'a name in Chinese\n' >'报告 1.txt'
up 201 "/api/v1/cases/$C/attachments" "$TC" -F class=doc -F 'file=@报告 1.txt;type=text/plain'
curl -s -H "Authorization: Bearer $TC" "$URL/api/v1/cases/$C/attachments/$(j 'J["id"]')" -o /dev/null -D hdr
grep -q "filename=\"______ 1.txt\"; filename\*=UTF-8''%E6%8A%A5%E5%91%8A%201.txt" hdr || fail "disposition: $(grep -i disposition hdr)"
up 415 "/api/v1/cases/$C/attachments" "$TC" -F class=video -F 'file=@poc.py;type=text/plain'
err UPLOAD_TYPE; has 'class video accepts video/mp4, video/webm'
up 415 "/api/v1/cases/$C/attachments" "$TC" -F class=doc -F 'file=@poc.py;type=application/x-msdownload'
head -c 65536 /dev/urandom >max.bin; head -c 65537 /dev/urandom >over.bin
up 201 "/api/v1/cases/$C/attachments" "$TC" -F class=tool -F "file=@max.bin"
has '"size":65536'
up 413 "/api/v1/cases/$C/attachments" "$TC" -F class=tool -F "file=@over.bin"
err ATTACHMENT_TOO_LARGE; has 'file: 65537 bytes, the limit is 65536'
cp poc.py "$(pad 123 n).txt"; cp poc.py "$(pad 124 n).txt"   # 127 and 128 bytes
up 201 "/api/v1/cases/$C/attachments" "$TC" -F class=doc -F "file=@$(pad 123 n).txt;type=text/plain"
up 400 "/api/v1/cases/$C/attachments" "$TC" -F class=doc -F "file=@$(pad 124 n).txt;type=text/plain"
err MULTIPART_INVALID; has 'filename longer than 127 bytes'
: >empty.txt
up 400 "/api/v1/cases/$C/attachments" "$TC" -F class=doc -F 'file=@empty.txt;type=text/plain'
has 'file: empty'
up 400 "/api/v1/cases/$C/attachments" "$TC" -F class=payload -F "file=@poc.py"
has 'class: poc, exploit, tool, video or doc'
up 400 "/api/v1/cases/$C/attachments" "$TC" -F class=poc
has 'file: missing part'
up 400 "/api/v1/cases/$C/attachments" "$TC" -F "file=@poc.py"
has 'class: missing part'
up 400 "/api/v1/cases/$C/attachments" "$TC" -F class=poc -F class=doc -F "file=@poc.py"
has 'class: sent twice'
up 400 "/api/v1/cases/$C/attachments" "$TC" -F class=poc -F colour=red -F "file=@poc.py"
has 'colour: unknown part'
up 400 "/api/v1/cases/$C/attachments" "$TC" -F class=poc -F file=inline-text
has 'a file part needs a filename'
up 400 "/api/v1/cases/$C/attachments" "$TC" -F "class=@poc.py" -F "file=@poc.py"
has 'class: a text field'
up 413 "/api/v1/cases/$C/attachments" "$TC" -F a=1 -F b=2 -F c=3 -F d=4 -F e=5
err BODY_TOO_LARGE
up 403 "/api/v1/cases/$C/attachments" "$TA" -F class=poc -F "file=@poc.py"
up 404 "/api/v1/cases/$C/attachments" "$TO" -F class=poc -F "file=@poc.py"
# hand-made bodies: wrong framing must be a clear 400, never a crash
B=XyZzY
printf -- '--%s\r\nContent-Disposition: form-data; name="class"\r\n\r\npoc\r\n--%s\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--%s--\r\n' $B $B $B >ok.mp
raw 201 "/api/v1/cases/$C/attachments" "$TC" "multipart/form-data; boundary=$B" ok.mp
raw 400 "/api/v1/cases/$C/attachments" "$TC" "multipart/form-data" ok.mp; err MULTIPART_INVALID
raw 415 "/api/v1/cases/$C/attachments" "$TC" "application/json" ok.mp; err UNSUPPORTED_MEDIA_TYPE
head -c 150 ok.mp >cut.mp
raw 400 "/api/v1/cases/$C/attachments" "$TC" "multipart/form-data; boundary=$B" cut.mp; err MULTIPART_INVALID
printf -- '--%s\nContent-Disposition: form-data; name="class"\n\npoc\n--%s--\n' $B $B >lf.mp
raw 400 "/api/v1/cases/$C/attachments" "$TC" "multipart/form-data; boundary=$B" lf.mp; err MULTIPART_INVALID
printf -- '--%s\r\nContent-Type: text/plain\r\n\r\nabc\r\n--%s--\r\n' $B $B >nodisp.mp
raw 400 "/api/v1/cases/$C/attachments" "$TC" "multipart/form-data; boundary=$B" nodisp.mp; err MULTIPART_INVALID
printf -- '--%s\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\nx\r\n--%s\r\nContent-Disposition: form-data; name="class"\r\n\r\ndoc\r\n--%s--\r\n' $B $B $B >trav.mp
raw 201 "/api/v1/cases/$C/attachments" "$TC" "multipart/form-data; boundary=$B" trav.mp
[ "$(j 'J["name"]')" = passwd ] || fail "path in filename kept: $(j 'J["name"]')"
: >zero.mp
raw 400 "/api/v1/cases/$C/attachments" "$TC" "multipart/form-data; boundary=$B" zero.mp; err MULTIPART_INVALID
curl -s -o /dev/null "$URL/healthz" || fail "server died on malformed multipart"

# 11. The NVDB report, recorded by the provider; facts are never overwritten.
req 403 POST "/api/v1/cases/$C/facts" "$TR" "{\"nvdb_reported_at\": \"$NOW\", \"nvdb_ref\": \"NVDB-1\"}"
err FORBIDDEN
req 400 POST "/api/v1/cases/$C/facts" "$TV" "{\"nvdb_reported_at\": \"$NOW\"}"
has 'nvdb_reported_at and nvdb_ref go together'
req 400 POST "/api/v1/cases/$C/facts" "$TV" '{"nvdb_reported_at": "2099-01-01T00:00:00Z", "nvdb_ref": "NVDB-1"}'
has 'in the future'
req 400 POST "/api/v1/cases/$C/facts" "$TV" '{}'
req 400 POST "/api/v1/cases/$C/facts" "$TV" "{\"nvdb_reported_at\": \"$NOW\", \"nvdb_ref\": \"$(pad 128 r)\"}"
err JSON_FIELD
req 201 POST "/api/v1/cases/$C/facts" "$TV" "{\"nvdb_reported_at\": \"$NOW\", \"nvdb_ref\": \"$(pad 127 r)\"}"
has '"recorded":\["nvdb_reported_at"\]'
req 409 POST "/api/v1/cases/$C/facts" "$TC" "{\"nvdb_reported_at\": \"$NOW\", \"nvdb_ref\": \"NVDB-2\"}"
err FACT_RECORDED

# 12. Fix available: not before the provider's fix is recorded (R-20).
req 409 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "fix_available"}'
err POLICY_NEEDS; has '"need":"fix_available_at"'
req 201 POST "/api/v1/cases/$C/facts" "$TV" "{\"fix_available_at\": \"$NOW\", \"fix_ref\": \"firmware 2.4.1\"}"
req 409 POST "/api/v1/cases/$C/facts" "$TV" "{\"fix_available_at\": \"$NOW\", \"fix_ref\": \"firmware 2.4.2\"}"
err FACT_RECORDED
req 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "fix_available"}'

# 13. The advisory: the gate scans what would be published.
req 403 PUT "/api/v1/cases/$C/advisory" "$TV" '{"title": "t", "remediation": "r"}'
err FORBIDDEN
req 400 PUT "/api/v1/cases/$C/advisory" "$TC" '{"title": "t", "remediation": ""}'
has 'remediation: empty'
req 200 PUT "/api/v1/cases/$C/advisory" "$TC" '{"title": "EX Router overflow", "remediation": "Upgrade to 2.4.1. 测试地址 http://123.57.146.209:8090/api 可复现。"}'
has '"revision":1'; has '"state":"advisory_draft"'
req 403 POST "/api/v1/cases/$C/publish" "$TC" '{"channel": "web"}'   # not approved, and the text blocks
err POLICY_DENIED; has '"verdict":"block"'; has '"rule":"live_target.ipv4"'; has '"rule":"S-GATE"'
hasnt 123.57.146.209
req 200 PUT "/api/v1/cases/$C/advisory" "$TC" '{"title": "EX Router overflow", "remediation": "Upgrade the firmware to 2.4.1 or later."}'
has '"revision":2'
req 200 GET "/api/v1/cases/$C/advisory" "$TV"
has '"fix_ref":"firmware 2.4.1"'; hasnt '"approvals"'
req 200 GET "/api/v1/cases/$C/advisory" "$TC"
has '"approvals":0'; [ "$(j 'len(J["revisions"])')" = 2 ] || fail "revisions"
# field limits at max and max+1
req 200 PUT "/api/v1/cases/$C/advisory" "$TC" "{\"title\": \"$(pad 127 t)\", \"remediation\": \"$(pad 4095 u)\", \"fix_ref\": \"$(pad 127 f)\"}"
req 400 PUT "/api/v1/cases/$C/advisory" "$TC" "{\"title\": \"$(pad 128 t)\", \"remediation\": \"r\"}"
has 'title: longer than 127 bytes'
req 400 PUT "/api/v1/cases/$C/advisory" "$TC" "{\"title\": \"t\", \"remediation\": \"$(pad 4096 u)\"}"
has 'remediation: longer than 4095 bytes'
req 400 PUT "/api/v1/cases/$C/advisory" "$TC" "{\"title\": \"t\", \"remediation\": \"r\", \"fix_ref\": \"$(pad 128 f)\"}"
# revisions: up to 16, the 17th refused
for i in $(seq 4 16); do
    req 200 PUT "/api/v1/cases/$C/advisory" "$TC" "{\"title\": \"EX Router overflow\", \"remediation\": \"Upgrade the firmware to 2.4.1 (revision $i).\", \"fix_ref\": \"firmware 2.4.1\"}"
done
has '"revision":16'
req 409 PUT "/api/v1/cases/$C/advisory" "$TC" '{"title": "t", "remediation": "r"}'
err LIST_FULL; has 'at most 16 revisions'

# 14. Two approvals, four eyes: not the writer, not twice, not a vendor.
req 403 POST "/api/v1/cases/$C/approvals" "$TC" ''
err POLICY_DENIED; has '"rule":"R-27"'
req 201 POST "/api/v1/cases/$C/approvals" "$TC2" ''
has '"approvals":1'; has '"needed":2'
req 403 POST "/api/v1/cases/$C/approvals" "$TC2" '{}'
err POLICY_DENIED; has 'cannot approve twice'
req 400 POST "/api/v1/cases/$C/approvals" "$TC3" '{"comment": "ok"}'
err JSON_FIELD
req 403 POST "/api/v1/cases/$C/approvals" "$TV" ''
err FORBIDDEN
req 201 POST "/api/v1/cases/$C/approvals" "$TC3" ''
has '"approvals":2'

# 15. Publish: approved first, on a filed channel only.
req 403 POST "/api/v1/cases/$C/publish" "$TC" '{"channel": "web"}'
err POLICY_DENIED; has '"rule":"SM-1"'; has '"verdict":"pass"'
req 200 POST "/api/v1/cases/$C/transition" "$TC" '{"to": "approved"}'
req 403 POST "/api/v1/cases/$C/publish" "$TC" '{"channel": "wechat"}'
err POLICY_DENIED; has '"rule":"R-28"'
req 403 POST "/api/v1/cases/$C/publish" "$TV" '{"channel": "web"}'
err FORBIDDEN
req 400 POST "/api/v1/cases/$C/publish" "$TC" "{\"channel\": \"$(pad 128 c)\"}"
req 403 POST "/api/v1/cases/$C/publish" "$TC" "{\"channel\": \"$(pad 127 c)\"}"
err POLICY_DENIED
req 200 POST "/api/v1/cases/$C/publish" "$TC" '{"channel": "web"}'
has '"state":"published"'; has '"verdict":"pass"'
req 200 GET "/api/v1/cases/$C" "$TV"
has '"disclosure":"public"'; has '"published_at":"'
# After publication the case API stays need-to-know.
req 404 GET "/api/v1/cases/$C" "$TO"

############################################################ the event case
EV='{"type": "event", "provider_org": "org-oper", "aware_at": "2026-02-10T09:30:00+08:00",
 "vulnerabilities": [{"name": "portal SQL injection",
   "gbt_vector": "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:N/E:L/RL:L/S:L"}]}'
req 201 POST /api/v1/cases "$TC" "$EV"
X=$(j 'J["id"]')
req 200 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "triaged"}'
req 200 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "verified"}'
req 409 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "vendor_notified"}'   # R-11: no operator yet
err POLICY_NEEDS; has '"need":"operator"'
req 201 POST "/api/v1/cases/$X/participants" "$TC" '{"org": "org-oper", "role": "operator"}'
req 200 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "vendor_notified"}'
req 200 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "vendor_acked"}'
req 201 POST "/api/v1/cases/$X/facts" "$TC" "{\"fix_available_at\": \"$NOW\", \"fix_ref\": \"patched\"}"
req 200 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "fix_available"}'
req 403 PUT "/api/v1/cases/$X/advisory" "$TC" '{"title": "t", "remediation": "Patched."}'
err POLICY_DENIED; has '"rule":"R-22"'
req 403 POST "/api/v1/cases/$X/approvals" "$TC2" ''
err POLICY_DENIED; has '"rule":"R-22"'
req 403 POST "/api/v1/cases/$X/publish" "$TC" '{"channel": "web"}'
err POLICY_DENIED; has '"rule":"R-22"'
req 403 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "published"}'
req 200 POST "/api/v1/cases/$X/transition" "$TC" '{"to": "tracking"}'

############################################################ lists and fields at their limits
req 201 POST /api/v1/cases "$TC" '{"type": "product", "provider_org": "org-vendor"}'
L=$(j 'J["id"]')
# vulnerabilities: fields at max and max+1, 8 per case
vul() { printf '{"name": "%s"%s}' "${1:-v}" "${2:-}"; }
req 201 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul "$(pad 127 n)" ", \"technical_characteristics\": \"$(pad 1023)\", \"harm\": \"$(pad 1023)\", \"impact_scope\": \"$(pad 1023)\"")"
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul "$(pad 128 n)")"
has 'name: longer than 127 bytes'
for f in technical_characteristics harm impact_scope; do
    req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"$f\": \"$(pad 1024)\"")"
    has "$f: longer than 1023 bytes"
done
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"gbt_vector\": \"$(pad 64 A)\"")"
err VECTOR_INVALID
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"gbt_vector\": \"$(pad 65 A)\"")"
err JSON_FIELD
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"cwe\": \"CWE-$(pad 11 1)\"")"
err JSON_FIELD    # 15 bytes: as long as a cwe may be, and malformed
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"cwe\": \"CWE-$(pad 12 1)\"")"
has 'cwe: longer than 15 bytes'
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"cvss40\": \"$(pad 192 C)\"")"
has 'cvss40: longer than 191 bytes'
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"cvss40\": \"$(pad 191 C)\"")"
err VECTOR_INVALID
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"cvss31\": \"$(pad 128 C)\"")"
has 'cvss31: longer than 127 bytes'
IDS8='"CVE-2025-1001", "CVE-2025-1002", "CVE-2025-1003", "CVE-2025-1004", "CVE-2025-1005", "CVE-2025-1006", "CVE-2025-1007", "CVE-2025-1008"'
req 201 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"related_ids\": [$IDS8]")"
[ "$(j 'len(J["related_ids"])')" = 8 ] || fail "8 related ids"
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"related_ids\": [$IDS8, \"CVE-2025-1009\"]")"
err JSON_FIELD
req 201 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"related_ids\": [\"OTHER-$(pad 57 9)\"]")"   # 63 bytes
req 400 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v ", \"related_ids\": [\"OTHER-$(pad 58 9)\"]")"
for i in 4 5 6 7 8; do req 201 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul "v$i")"; done
[ "$(j 'J["n"]')" = 8 ] || fail "8 vulnerabilities"
req 409 POST "/api/v1/cases/$L/vulnerabilities" "$TC" "$(vul v9)"
err LIST_FULL; has 'at most 8'
# participants: an org id of 63 bytes (valid, unknown) and 64; 16 per case
req 400 POST "/api/v1/cases/$L/participants" "$TC" "{\"org\": \"$(pad 63 o)\", \"role\": \"vendor\"}"
err ORG_UNKNOWN
req 400 POST "/api/v1/cases/$L/participants" "$TC" "{\"org\": \"$(pad 64 o)\", \"role\": \"vendor\"}"
err JSON_FIELD
req 400 PATCH "/api/v1/cases/$L/participants/$(pad 64 o)" "$TC" '{"status": "active"}'
err PATH_ARG_INVALID
req 404 PATCH "/api/v1/cases/$L/participants/$(pad 63 o)" "$TC" '{"status": "active"}'
for i in $(seq -w 1 16); do
    adm admin org add --id "org-p$i" --kind network_operator --jurisdiction CN --name "P$i"
    req 201 POST "/api/v1/cases/$L/participants" "$TC" "{\"org\": \"org-p$i\", \"role\": \"operator\"}"
done
req 409 POST "/api/v1/cases/$L/participants" "$TC" '{"org": "org-vendor", "role": "vendor"}'
err LIST_FULL; has 'participants: at most 16'
req 200 PATCH "/api/v1/cases/$L/participants/org-p01" "$TC" '{"status": "removed"}'
# attachments: 32 per case
for i in $(seq 1 32); do
    up 201 "/api/v1/cases/$L/attachments" "$TC" -F class=doc -F 'file=@poc.py;type=text/plain'
done
[ "$(j 'J["id"]')" = att-32 ] || fail "32 attachments"
up 409 "/api/v1/cases/$L/attachments" "$TC" -F class=doc -F 'file=@poc.py;type=text/plain'
err LIST_FULL
req 200 GET "/api/v1/cases/$L/attachments" "$TC"
[ "$(j 'len(J["items"])')" = 32 ] || fail "list of 32 attachments"
# every sub-route of a case the caller has no part in: 404, as a missing case
for r in "GET /api/v1/cases/$C/participants" "POST /api/v1/cases/$C/messages" \
         "GET /api/v1/cases/$C/messages" "GET /api/v1/cases/$C/attachments" \
         "GET /api/v1/cases/$C/vulnerabilities" "PATCH /api/v1/cases/$C/vulnerabilities/1" \
         "GET /api/v1/cases/$C/advisory" "PUT /api/v1/cases/$C/advisory" \
         "POST /api/v1/cases/$C/approvals" "POST /api/v1/cases/$C/publish" \
         "POST /api/v1/cases/$C/facts" "POST /api/v1/cases/$C/participants" \
         "PATCH /api/v1/cases/$C/participants/org-vendor" "GET /api/v1/cases/$C/decision?action=publish" \
         "POST /api/v1/cases/$C/transition" "GET /api/v1/cases/EMB-2026-999999/advisory"; do
    set -- $r
    req 404 "$1" "$2" "$TD" '{}'
    has '"detail":"no such case"'
done
req 401 GET "/api/v1/cases/$C/messages" ""
req 400 GET "/api/v1/cases/not-a-case/messages" "$TC"; err PATH_ARG_INVALID

kill "$PID"; wait "$PID"; rc=$?; PID=
[ "$rc" = 0 ] || { fail "server exit $rc after SIGTERM"; tail -40 serve.err >&2; }
"$E" audit verify "${S[@]}" >v.out 2>&1 || { fail "audit verify"; cat v.out >&2; }
if q_ok; then
    n=$(q "select count(*) from audit_events where action = 'case.access' and actor = 'user:u-down' and object = '$C'")
    [ "$n" -ge 15 ] || fail "access refusals audited: $n"
    n=$(q "select count(*) from audit_events where action = 'attachment.read' and object = '$C'")
    [ "$n" = 2 ] || fail "downloads audited: $n"
    n=$(q "select count(*) from audit_events where action = 'vulnerability.set' and object = '$C' and decision = 1")
    [ "$n" -ge 1 ] || fail "link_id decisions audited: $n"
    n=$(q "select count(*) from audit_events where action = 'case.facts' and object = '$C'")
    [ "$n" = 2 ] || fail "facts audited: $n"
fi
for s in SECRET-TITLE-5521 SECRET-CONTACT-8812 SECRET-MSG-REPORTER-4401 SECRET-NOTE-INTERNAL-7720 SECRET-POC-3391; do
    store_holds "$s" && fail "$s in the database file"
done
[ "$fails" = 0 ] && echo "all passed" || { echo "$fails failed"; exit 1; }
