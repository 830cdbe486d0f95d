#!/bin/bash
# embargo export over a real store (docs/export.md):
#  - a case walked to publication through the policy engine exports in every
#    format: CSAF passes `embargo csaf validate` (with a CWE catalogue, so
#    6.1.11 runs), CVE 5 and OSV validate against the schemas the convert
#    tests use, NVDB/CNVD/CNNVD carry their fields, or name what is missing;
#  - an undisclosed case in a public format is refused (EXP-1), delivered
#    privately to a domestic organisation it is allowed (a draft, TLP:AMBER),
#    to a foreign one that is not its provider refused (R-30); the NVDB and
#    CNVD packages of it are allowed, and only CNVD carries the private
#    verification texts;
#  - someone without need-to-know cannot even read it; bad usage exits 2;
#  - every decision, allowed or refused, is in the audit chain, which verifies.
set -u
E=${EMBARGO:?EMBARGO must point at the embargo binary}
HERE="$(cd "$(dirname "$0")" && pwd)"
V="$(cd "$HERE/../../.." && pwd)/shared/vectors"
[ -d "$V" ] || { echo "skipped: $V not found"; exit 77; }
python3 -c 'import jsonschema' 2>/dev/null || { echo "skipped: no python3-jsonschema"; exit 77; }
D=$(mktemp -d /tmp/emb-export-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
cd "$D" || exit 1
export EMBARGO_NOW=2026-03-01T10:00:00Z
fails=0
ok() { if "$@"; then :; else echo "FAIL: $*" >&2; fails=$((fails + 1)); fi; }
code() { # code EXPECTED cmd...
    local want=$1; shift
    "$@" >"$D/out" 2>"$D/err"; local got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL: exit $got, expected $want: $*" >&2; head -c 2000 "$D/out" "$D/err" >&2
        fails=$((fails + 1))
    fi
}
has() { grep -qF -- "$2" "$1" || { echo "FAIL: no '$2' in $1: $(head -c 600 "$1")" >&2; fails=$((fails + 1)); }; }
hasnt() { ! grep -qF -- "$2" "$1" || { echo "FAIL: '$2' in $1" >&2; fails=$((fails + 1)); }; }
schema() { # schema SCHEMA FILE...
    local s=$1; shift
    python3 - "$s" "$@" <<'PY' || { echo "FAIL: schema $1: $*" >&2; fails=$((fails + 1)); }
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
bad = 0
for f in sys.argv[2:]:
    for e in cls(schema).iter_errors(json.load(open(f))):
        print(f"{f}: {list(e.path)}: {e.message[:200]}", file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PY
}
ID_OPTS=(--publisher "Demo Platform" --publisher-url https://vuln.example.cn
         --cna-id 9cbfeea8-dea2-4923-b772-1ab41730e742 --cna-name demo
         --cwe-catalog "$HERE/../formats/data/cwe-sample.csv")

code 0 "$E" admin init
code 0 "$E" admin org add --id org-vendor --kind product_provider --jurisdiction CN --name "Example Networks"
code 0 "$E" admin org add --id org-finder --kind reporter_team --jurisdiction CN --name "Finder Lab"
code 0 "$E" admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
code 0 "$E" admin org add --id org-us-cert --kind coordinator --jurisdiction US --name "US CERT"
code 0 "$E" admin org add --id org-hk --kind reporter_team --jurisdiction HK --name "HK Lab"
code 0 "$E" admin user add --id u-coord --role coordinator --org org-platform --verified
code 0 "$E" admin user add --id u-coord2 --role coordinator --org org-platform --verified
code 0 "$E" admin user add --id u-coord3 --role coordinator --org org-platform --verified
code 0 "$E" admin user add --id u-out --role vendor_member --org org-us-cert --verified
code 0 "$E" admin filing set --number NVDB-BA-2026-0001 --filed-at 2026-01-05T09:00:00+08:00 \
    --channel web --complaint https://www.nvdb.org.cn --policy https://vuln.example.cn/policy

cat >case.json <<'JSON'
{"type": "product", "provider_org": "org-vendor", "submitter_org": "org-finder",
 "discoverer": "Zhang San", "aware_at": "2026-02-10T09:30:00+08:00",
 "products": [{"vendor": "Example Networks", "name": "EX Router", "model": "EX-1000", "versions": ">=2.0 <2.4.1"}],
 "participants": [{"org": "org-vendor", "role": "vendor", "status": "active"},
                  {"org": "org-finder", "role": "reporter", "status": "active"}],
 "vulnerabilities": [{"name": "EX Router stack overflow", "gbt_class": "代码问题/资源管理错误",
   "gbt_vector": "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
   "grade_technical": "critical", "grade_comprehensive": "critical",
   "cvss31": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cwe": "CWE-119",
   "related_ids": ["CVE-2026-10001", "CNVD-2026-01234"],
   "technical_characteristics": "stack buffer overflow in the web management interface",
   "harm": "remote code execution without authentication",
   "impact_scope": "EX-1000 firmware 2.0 to 2.4.0"}]}
JSON
cat >details.json <<'JSON'
{"title": "EX Router overflow", "description": "The web UI copies the host field into a fixed buffer.",
 "location": "cgi-bin/diag", "trigger_conditions": "web UI reachable",
 "verification_steps": "PRIVATE-STEPS-4711", "contact": "lab@example.cn"}
JSON
walk() { # walk CASE: received -> fix_available (NVDB report recorded on the way)
    for s in triaged verified vendor_notified; do code 0 "$E" case transition "$1" $s --as u-coord; done
    code 0 "$E" case transition "$1" vendor_acked --nvdb-at 2026-02-11T09:00:00+08:00 --nvdb-ref NVDB-2026-0042 --as u-coord
    code 0 "$E" case transition "$1" fix_available --fix-at 2026-02-25T12:00:00+08:00 --as u-coord
    code 0 "$E" case advisory draft "$1" --title "EX Router stack overflow" \
        --remediation "Upgrade EX-1000 firmware to 2.4.1." --fix-ref https://example.com/fw/2.4.1 --as u-coord
}
code 0 "$E" case create --as u-coord --input case.json --details details.json --channel web
P=EMB-2026-000001
walk $P
code 0 "$E" case advisory approve $P --as u-coord3
code 0 "$E" case advisory approve $P --as u-coord2
code 0 "$E" case transition $P approved --as u-coord
code 0 "$E" case advisory publish $P --channel web --check pass --as u-coord

# ---- the published case in every format ----
code 0 "$E" export $P --format csaf --as u-coord "${ID_OPTS[@]}"
cp out p.csaf.json
code 0 "$E" csaf validate --cwe-catalog "$HERE/../formats/data/cwe-sample.csv" p.csaf.json
has p.csaf.json '"status": "final"'
has p.csaf.json '"label": "WHITE"'
has p.csaf.json '"baseScore": 9.8,'
has p.csaf.json '"name": "Improper Restriction of Operations within the Bounds of a Memory Buffer"'
has p.csaf.json '"name": "vers:generic/>=2.0|<2.4.1"'
hasnt p.csaf.json PRIVATE-STEPS
hasnt p.csaf.json lab@example.cn
code 0 "$E" export $P --format cve5 --as u-coord "${ID_OPTS[@]}"
cp out p.cve5.json
schema "$V/cve5/schema/CVE_JSON_5.1_bundled.json" p.cve5.json
has p.cve5.json '"cveId": "CVE-2026-10001"'
has p.cve5.json '"lessThan": "2.4.1"'
code 0 "$E" export $P --format osv --as u-coord "${ID_OPTS[@]}"
cp out p.osv.json
schema "$V/osv/schema.json" p.osv.json
has p.osv.json '"id": "CVE-2026-10001"'
has p.osv.json '"CNVD-2026-01234"'
code 0 "$E" export $P --format nvdb --as u-coord
for k in product_name '"model": "EX-1000"' technical_characteristics harm impact_scope 型号; do has out "$k"; done
code 0 "$E" export $P --format nvdb --html --as u-coord
has out '<th>技术特点'
code 0 "$E" export $P --format cnvd --as u-coord
has out '"漏洞所属类型": "通用型"'
has out PRIVATE-STEPS-4711
# CNNVD's form needs the entity download URL, which a case does not hold: named, exit 1
code 1 "$E" export $P --format cnnvd --as u-coord "${ID_OPTS[@]}"
has err '/vulnerabilities/0/entity_download_url: missing (实体下载地址)'
ok test ! -s out
# without the platform's identity, CSAF and CVE 5 name what they miss
code 1 "$E" export $P --format csaf --as u-coord
has err 'namespace'
code 1 "$E" export $P --format cve5 --as u-coord
has err '/cna/org_id: missing'
# a public case is public: anyone may export its public record
code 0 "$E" export $P --format osv --as u-out
# several records need --output DIR
mkdir recs
code 0 "$E" export $P --format cve5 --as u-coord --output recs "${ID_OPTS[@]}"
ok test -s recs/CVE-2026-10001.json

# ---- an undisclosed case ----
code 0 "$E" case create --as u-coord --input case.json --details details.json --channel web
U=EMB-2026-000002
walk $U
for f in csaf cve5 osv; do
    code 1 "$E" export $U --format $f --as u-coord "${ID_OPTS[@]}"
    has err 'deny  EXP-1'
    ok test ! -s out
done
# privately to the domestic provider: a draft under TLP:AMBER
code 0 "$E" export $U --format csaf --to org-vendor --as u-coord "${ID_OPTS[@]}"
cp out u.csaf.json
code 0 "$E" csaf validate u.csaf.json
has u.csaf.json '"status": "draft"'
has u.csaf.json '"label": "AMBER"'
hasnt u.csaf.json PRIVATE-STEPS
# to a foreign organisation that is not its provider: RMSV 9(7), R-30; HK by default too
code 1 "$E" export $U --format csaf --to org-us-cert --as u-coord "${ID_OPTS[@]}"
has err 'deny  R-30'
ok test ! -s out
code 1 "$E" export $U --format osv --to org-hk --as u-coord "${ID_OPTS[@]}"
has err 'deny  R-30'
# the national platforms' packages of an undisclosed case
code 0 "$E" export $U --format nvdb --as u-coord
has out '"harm": "remote code execution without authentication"'
hasnt out PRIVATE-STEPS
code 0 "$E" export $U --format cnvd --as u-coord
has out PRIVATE-STEPS-4711
# no need-to-know: not even the read is allowed
code 1 "$E" export $U --format nvdb --as u-out
has err 'export: reading the case: deny'
ok test ! -s out

# ---- bad usage ----
code 2 "$E" export $U --format pdf --as u-coord
code 2 "$E" export $U --as u-coord
code 2 "$E" export --format csaf --as u-coord
code 2 "$E" export EMB-2026-000099 --format nvdb --as u-coord
code 2 "$E" export $U --format csaf --to org-nowhere --as u-coord
has err 'recipient org-nowhere: no such organisation'
code 2 "$E" export $U --format nvdb --to org-vendor --as u-coord
has err 'takes no other recipient'
code 2 "$E" export $U --format csaf --html --as u-coord
code 2 "$E" export $U --format csaf --cwe-catalog /nonexistent --as u-coord

# ---- the audit chain holds every decision ----
code 0 "$E" audit verify
if command -v sqlite3 >/dev/null; then
    q() { sqlite3 var/embargo.db "$1"; }
    # published: csaf, cve5, osv, nvdb, nvdb --html, cnvd, cnnvd, csaf, cve5, osv (u-out), cve5 --output
    # undisclosed: csaf, cve5, osv (denied), csaf to org-vendor, to org-us-cert, osv to org-hk, nvdb, cnvd
    n=$(q "select count(*) from audit_events where action = 'case.export'")
    ok test "$n" = 19
    d=$(q "select count(*) from audit_events where action = 'case.export' and object = '$U' and reasons like '%EXP-1%' and details like '%\"recipient\":\"public\"%'")
    ok test "$d" = 3
    d=$(q "select count(*) from audit_events where action = 'case.export' and reasons like '%R-30%' and details like '%\"recipient_jurisdiction\":\"US\"%'")
    ok test "$d" = 1
    # the refused read by u-out is audited as a read, not as an export decision
    d=$(q "select count(*) from audit_events where action = 'case.read' and object = '$U' and actor = 'user:u-out'")
    ok test "$d" = 1
    d=$(q "select count(*) from audit_events where action = 'case.export' and actor = 'user:u-out' and object = '$U'")
    ok test "$d" = 0
fi
[ "$fails" = 0 ] && echo "export: all passed" || echo "export: $fails failed"
exit $((fails > 0))
