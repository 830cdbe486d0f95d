#!/bin/bash
# embargo convert: outputs checked by independent validators. CSAF output
# passes `embargo csaf validate`; CVE 5 output validates against the CVE 5.1
# bundled schema and OSV output against the OSV schema with python3-jsonschema;
# the Chinese platforms' reports carry their fields; a missing field gives
# exit 1 naming it; unreadable or invalid input gives exit 2.
set -u
: "${EMBARGO:?EMBARGO must point at the built binary}"
HERE="$(cd "$(dirname "$0")" && pwd)"
V="$(cd "$HERE/../../.." && pwd)/shared/vectors"
[ -d "$V" ] || { echo "skipped: $V not found"; exit 77; }
python3 -c 'import jsonschema' 2>/dev/null || { echo "skipped: no python3-jsonschema"; exit 77; }
FULL="$HERE/../formats/data/advisory-full.json"
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() { # expect NAME WANT_RC ARGS...
    local name=$1 want=$2 rc
    shift 2
    "$EMBARGO" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$name: exit $rc, want $want: $(head -c 400 "$tmp/err")"; fi
}
has() { if grep -qF -- "$3" "$2"; then ok; else bad "$1: no '$3' in $2: $(head -c 300 "$2")"; fi; }
validate() { # validate NAME SCHEMA FILE...
    local name=$1 schema=$2
    shift 2
    if python3 - "$schema" "$@" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
bad = 0
for f in sys.argv[2:]:
    for e in cls(schema).iter_errors(json.load(open(f))):
        print(f"{f}: {list(e.path)}: {e.message[:200]}", file=sys.stderr)
        bad += 1
        break
sys.exit(1 if bad else 0)
PY
    then ok; else bad "$name: schema validation failed"; fi
}
CVE5S="$V/cve5/schema/CVE_JSON_5.1_bundled.json"
OSVS="$V/osv/schema.json"

# the full canonical example to every target
expect canonical 0 convert --input "$FULL"
expect csaf 0 convert --to csaf --input "$FULL"
cp "$tmp/out" "$tmp/full.csaf.json"
expect csaf-valid 0 csaf validate "$tmp/full.csaf.json"
grep -q "技术特点" "$tmp/full.csaf.json" && ok || bad "csaf: the Art. 7(2) note is missing"
grep -q "cgi-bin/diag" "$tmp/full.csaf.json" && bad "csaf: private verification published" || ok
expect cve5 0 convert --to cve5 --input "$FULL"
cp "$tmp/out" "$tmp/full.cve5.json"
validate cve5-schema "$CVE5S" "$tmp/full.cve5.json"
has cve5 "$tmp/full.cve5.json" '"lessThan": "1.4.2"'
expect osv 0 convert --to osv --input "$FULL"
cp "$tmp/out" "$tmp/full.osv.json"
validate osv-schema "$OSVS" "$tmp/full.osv.json"
has osv "$tmp/full.osv.json" '"fixed": "1.4.2"'
expect nvdb 0 convert --to nvdb --input "$FULL"
for k in product_name model version technical_characteristics harm impact_scope 型号; do has "nvdb $k" "$tmp/out" "$k"; done
expect nvdb-html 0 convert --to nvdb --html --input "$FULL"
has nvdb-html "$tmp/out" "<th>技术特点"
expect cnvd 0 convert --to cnvd --input "$FULL"
has cnvd "$tmp/out" '"漏洞所属类型": "通用型"'
expect cnnvd 0 convert --to cnnvd --input "$FULL"
for k in 漏洞名称 受影响实体版本号 漏洞类型 危害等级 实体描述 影响描述 实体下载地址 提交机构 提交人员 联系方式 提交日期 漏洞定位 漏洞触发条件 漏洞验证过程; do has "cnnvd $k" "$tmp/out" "\"$k\""; done
# a missing Art. 7(2) field: exit 1, named
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); del d['vulnerabilities'][0]['harm']; json.dump(d, open(sys.argv[2],'w'))" "$FULL" "$tmp/noharm.json"
expect nvdb-missing 1 convert --to nvdb --input "$tmp/noharm.json"
has nvdb-missing "$tmp/err" "/vulnerabilities/0/harm: missing (危害)"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); del d['cna']; json.dump(d, open(sys.argv[2],'w'))" "$FULL" "$tmp/nocna.json"
expect cve5-missing 1 convert --to cve5 --input "$tmp/nocna.json"
has cve5-missing "$tmp/err" "/cna/org_id: missing"
# invalid input
printf '{"embargo_advisory": "1", "document": {}, "x": 1}' >"$tmp/bad.json"
expect invalid 2 convert --input "$tmp/bad.json"
has invalid "$tmp/err" 'unknown property "x"'
expect unreadable 2 convert --input "$tmp/none.json"
expect usage 2 convert --to pdf --input "$FULL"
expect html-usage 2 convert --to csaf --html --input "$FULL"

# every CSAF example to CVE 5 (with a CNA added) and OSV, validated
n=0
for f in "$V"/csaf/examples/csaf/*.json "$V"/csaf/examples/csaf/csaf_vex/*.json; do
    b=$(basename "$f" .json)
    "$EMBARGO" convert --from csaf --input "$f" >"$tmp/$b.adv.json" 2>/dev/null || { bad "import $b"; continue; }
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['cna']={'org_id':'9cbfeea8-dea2-4923-b772-1ab41730e742'}; json.dump(d, open(sys.argv[1],'w'))" "$tmp/$b.adv.json"
    mkdir -p "$tmp/cve5-$b" "$tmp/osv-$b"
    "$EMBARGO" convert --to cve5 --output "$tmp/cve5-$b" --input "$tmp/$b.adv.json" 2>"$tmp/err"
    rc=$?
    # rc 1 is allowed only with named missing fields (e.g. no vendor branch)
    if [ $rc -eq 1 ] && grep -q "embargo: error: /" "$tmp/err"; then ok; elif [ $rc -eq 0 ]; then ok; else bad "cve5 $b: exit $rc"; fi
    "$EMBARGO" convert --to osv --output "$tmp/osv-$b" --input "$tmp/$b.adv.json" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 1 ] && grep -q "embargo: error: /" "$tmp/err"; then ok; elif [ $rc -eq 0 ]; then ok; else bad "osv $b: exit $rc"; fi
    n=$((n + 1))
done
cve5_files=$(ls "$tmp"/cve5-*/*.json 2>/dev/null | wc -l)
osv_files=$(ls "$tmp"/osv-*/*.json 2>/dev/null | wc -l)
[ "$cve5_files" -gt 0 ] && validate cve5-examples "$CVE5S" "$tmp"/cve5-*/*.json
[ "$osv_files" -gt 0 ] && validate osv-examples "$OSVS" "$tmp"/osv-*/*.json
echo "CSAF examples: $n, CVE 5 records written: $cve5_files, OSV records written: $osv_files"

# canonical advisories (the fixture and every import) match docs/advisory.schema.json
if python3 - "$V/csaf" "$HERE/../../docs/advisory.schema.json" "$HERE/../formats" "$FULL" "$tmp"/*.adv.json <<'PY'
import json, sys
V, schema_path, HERE, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sys.path.insert(0, HERE)
from schema_util import validator
c = json.load(open(f"{V}/json_schema/csaf_json_schema.json"))
extra = {f"https://www.first.org/cvss/{n}.json": json.load(open(f"{V}/referenced_schema/first/{n}.json"))
         for n in ("cvss-v2.0", "cvss-v3.0", "cvss-v3.1")}
extra[c["$id"]] = c
v = validator(json.load(open(schema_path)), extra)
bad = 0
for f in files:
    for e in v.iter_errors(json.load(open(f))):
        print(f"{f}: {list(e.path)}: {e.message[:200]}", file=sys.stderr)
        bad += 1
        break
sys.exit(1 if bad else 0)
PY
then ok; else bad "canonical advisories vs docs/advisory.schema.json"; fi

# valid CVE 5 and OSV records: import, export again, validate
for f in "$V"/cve5/http-fixtures/CVE-2000-0008_published.json "$V"/cve5/http-fixtures/CVE-2021-0005_published.json; do
    expect "cve5-rt $(basename "$f")" 0 convert --from cve5 --to cve5 --input "$f"
    cp "$tmp/out" "$tmp/rt.json"
    validate "cve5-rt-schema $(basename "$f")" "$CVE5S" "$tmp/rt.json"
done
# a rejected CVE stays rejected through the canonical form
expect cve5-rejected 0 convert --from cve5 --to cve5 --input "$V/cve5/http-fixtures/CVE-2009-0009_rejected.json"
has cve5-rejected "$tmp/out" '"state": "REJECTED"'
cp "$tmp/out" "$tmp/rej.json"
validate cve5-rejected-schema "$CVE5S" "$tmp/rej.json"
for f in "$V"/osv/ghsa-testdata/*.osv.json "$V"/osv/linter-testdata/GO-2020-0001.json "$V"/osv/linter-testdata/PYSEC-2023-74.json; do
    expect "osv-rt $(basename "$f")" 0 convert --from osv --to osv --input "$f"
    cp "$tmp/out" "$tmp/rt-$(basename "$f")"
done
validate osv-rt-schema "$OSVS" "$tmp"/rt-*.json
expect osv-invalid 2 convert --from osv --input "$V/osv/linter-testdata/nointroduced-CVE-2023-41045.json"
has osv-invalid "$tmp/err" "no introduced event"
expect cve5-invalid 2 convert --from cve5 --input "$V/cve5/schema-tests/CVE-2017-4024_version_fail.json"
has cve5-invalid "$tmp/err" "/dataVersion: must be 5.x"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
