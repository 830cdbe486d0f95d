#!/bin/bash
# GET /api/v1/cases/{id}/export against a real `embargo serve` on
# 127.0.0.1:0 (docs/export.md): a published case in CSAF (passes `embargo
# csaf validate`), CVE 5 and OSV (their schemas, when python3-jsonschema is
# there), NVDB; an undisclosed case refused as a public record (403 EXP-1)
# and to a foreign organisation (403 R-30), delivered to its domestic vendor;
# CNNVD naming its missing field (422); a member of another organisation
# gets 404 as for GET /cases/{id}; bad queries 400; and afterwards every
# decision is in the audit chain with its request id, which verifies.
# store backends: sqlite postgresql
set -u
. "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
V="$(cd "$HERE/../../.." && pwd)/shared/vectors"
http_init apiexp

adm admin init
adm admin org add --id org-vendor --kind product_provider --jurisdiction CN --name "Example Networks"
adm admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
adm admin org add --id org-us-cert --kind coordinator --jurisdiction US --name "US CERT"
adm admin user add --id u-coord --role coordinator --org org-platform --verified
adm admin user add --id u-coord2 --role coordinator --org org-platform --verified
adm admin user add --id u-coord3 --role coordinator --org org-platform --verified
adm admin user add --id u-out --role vendor_member --org org-us-cert --verified
adm admin token add --user u-coord; TC=$(cat adm.out)
adm admin token add --user u-out; TO=$(cat adm.out)
adm admin filing set --number NVDB-BA-2026-0001 --filed-at 2026-01-05T09:00:00+08:00 \
    --channel web --complaint https://www.nvdb.org.cn --policy https://vuln.example.cn/policy
cat >case.json <<'JSON'
{"type": "product", "provider_org": "org-vendor", "discoverer": "Zhang San",
 "products": [{"vendor": "Example Networks", "name": "EX Router", "model": "EX-1000", "versions": ">=2.0 <2.4.1"}],
 "participants": [{"org": "org-vendor", "role": "vendor", "status": "active"}],
 "vulnerabilities": [{"name": "EX Router stack overflow",
   "gbt_vector": "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
   "grade_technical": "critical", "grade_comprehensive": "critical",
   "cvss31": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cwe": "CWE-119",
   "related_ids": ["CVE-2026-10001"],
   "technical_characteristics": "stack buffer overflow", "harm": "remote code execution",
   "impact_scope": "EX-1000 firmware 2.0 to 2.4.0"}]}
JSON
echo '{"description": "The web UI copies the host field into a fixed buffer."}' >details.json
mk() { # mk PUBLISH?: create a case walked to advisory_draft (and published when asked)
    adm case create --as u-coord --input case.json --details details.json --channel web
    local id; id=$(sed -n 's/^case: //p' adm.out)
    for s in triaged verified vendor_notified vendor_acked; do adm case transition "$id" $s --as u-coord; done
    adm case transition "$id" fix_available --fix-at now --as u-coord
    adm case advisory draft "$id" --title "EX Router stack overflow" --remediation "Upgrade to 2.4.1." \
        --fix-ref https://example.com/fw/2.4.1 --as u-coord
    if [ "$1" = publish ]; then
        adm case advisory approve "$id" --as u-coord3
        adm case advisory approve "$id" --as u-coord2
        adm case transition "$id" approved --as u-coord
        adm case advisory publish "$id" --channel web --check pass --as u-coord
    fi
    echo "$id"
}
P=$(mk publish | tail -1)
U=$(mk draft | tail -1)

cat >serve.ini <<INI
[http]
log_requests = no
[platform]
name = Demo Platform
public_url = https://vuln.example.cn
[export]
cna_org_id = 9cbfeea8-dea2-4923-b772-1ab41730e742
cna_short_name = demo
cwe_catalog = $HERE/../formats/data/cwe-sample.csv
INI
serve_start -c serve.ini

# rq EXPECTED_STATUS PATH TOKEN: a GET through lib.sh's req (reply in $D/r)
rq() { req "$1" GET "$2" "$3"; }
schema() { # schema SCHEMA FILE: skipped without python3-jsonschema
    "$PYTHON" -c 'import jsonschema' 2>/dev/null || return 0
    "$PYTHON" - "$1" "$2" <<'PY' || fail "schema $1: $2"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
errs = [e.message[:200] for rec in doc for e in cls(schema).iter_errors(rec)]
print("\n".join(errs), file=sys.stderr)
sys.exit(1 if errs else 0)
PY
}

rq 200 "/api/v1/cases/$P/export?format=csaf" "$TC"
cp r p.csaf.json
"$E" csaf validate --cwe-catalog "$HERE/../formats/data/cwe-sample.csv" p.csaf.json >v.out 2>&1 ||
    { fail "CSAF export does not validate"; cat v.out >&2; }
has '"label":"WHITE"'
has '"namespace":"https://vuln.example.cn"'
has '"id":"CWE-119"'
rq 200 "/api/v1/cases/$P/export?format=cve5" "$TC"
has '"assignerOrgId":"9cbfeea8-dea2-4923-b772-1ab41730e742"'
[ -d "$V" ] && cp r p.cve5.json && schema "$V/cve5/schema/CVE_JSON_5.1_bundled.json" p.cve5.json
rq 200 "/api/v1/cases/$P/export?format=osv" "$TC"
has '"id":"CVE-2026-10001"'
[ -d "$V" ] && cp r p.osv.json && schema "$V/osv/schema.json" p.osv.json
rq 200 "/api/v1/cases/$P/export?format=nvdb" "$TC"
has '"model":"EX-1000"'
# published, yet u-out has no relation to the case: the access gate of every
# case route answers 404 (the public projection is not served from here)
rq 404 "/api/v1/cases/$P/export?format=osv" "$TO"
# the undisclosed case
rq 403 "/api/v1/cases/$U/export?format=csaf" "$TC"
has '"name":"POLICY_DENIED"'
has '"rule":"EXP-1"'
rq 403 "/api/v1/cases/$U/export?format=csaf&to=org-us-cert" "$TC"
has '"rule":"R-30"'
rq 200 "/api/v1/cases/$U/export?format=csaf&to=org-vendor" "$TC"
has '"label":"AMBER"'
has '"status":"draft"'
rq 200 "/api/v1/cases/$U/export?format=nvdb" "$TC"
rq 422 "/api/v1/cases/$U/export?format=cnnvd" "$TC"
has '"name":"EXPORT_NOT_EXPRESSIBLE"'
has 'entity_download_url: missing'
rq 404 "/api/v1/cases/$U/export?format=nvdb" "$TO"
has '"name":"NOT_FOUND"'
grep -q 'stack overflow' r && fail "the refused caller saw content"
# bad requests
rq 401 "/api/v1/cases/$U/export?format=nvdb" ""
rq 400 "/api/v1/cases/$U/export" "$TC"
has '"detail":"format: required"'
rq 400 "/api/v1/cases/$U/export?format=pdf" "$TC"
rq 400 "/api/v1/cases/$U/export?format=nvdb&colour=red" "$TC"
rq 400 "/api/v1/cases/$U/export?format=csaf&to=org-nowhere" "$TC"
has 'recipient org-nowhere: no such organisation'
rq 400 "/api/v1/cases/$U/export?format=nvdb&to=org-vendor" "$TC"
rq 400 "/api/v1/cases/not-an-id/export?format=nvdb" "$TC"
rq 404 "/api/v1/cases/EMB-2026-999999/export?format=nvdb" "$TC"

serve_stop
"$E" audit verify "${S[@]}" >v.out 2>&1 || { fail "audit verify"; cat v.out >&2; }
if q_ok; then
    # 4 on the published case, 5 decided on the undisclosed one (the refused
    # callers never reach the export decision)
    n=$(q "select count(*) from audit_events where action = 'case.export' and request_id != ''")
    [ "$n" = 9 ] || fail "audited export decisions with a request id: $n, expected 9"
    n=$(q "select count(*) from audit_events where action = 'case.access' and actor = 'user:u-out'")
    [ "$n" = 2 ] || fail "the refused accesses by u-out: $n, expected 2"
fi
http_finish
