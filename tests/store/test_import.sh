#!/bin/bash
# embargo import end to end, on the published vectors of ../shared:
#  - the schema-valid full CVE 5 records import (one case per distinct CVE
#    id; REJECTED records and repeated CVE ids are skipped and reported);
#  - the schema-invalid ones are refused, each named with a reason, exit 2,
#    while the valid records given in the same run still import;
#  - the OSV records import (the one schema-invalid record refused);
#  - re-importing everything imports nothing and reports each skip;
#  - `embargo case show` shows an imported case published and public with
#    its CVE id, CWE-free fields empty, and the description sealed in the
#    details; the import events are in the audit chain and it verifies.
set -u
E=${EMBARGO:?EMBARGO must point at the embargo binary}
HERE="$(cd "$(dirname "$0")" && pwd)"
V="$(cd "$HERE/../../.." && pwd)/shared/vectors"
[ -d "$V/cve5" ] && [ -d "$V/osv" ] || { echo "skipped: no ../shared/vectors"; exit 77; }
D=$(mktemp -d /tmp/emb-import-XXXXXX)
trap 'rm -rf "$D"' EXIT
cd "$D" || exit 1
export EMBARGO_NOW=2026-03-01T10:00:00Z
fails=0
ok() { if "$@"; then :; else echo "FAIL: $*" >&2; fails=$((fails + 1)); fi; }
code() { # code EXPECTED cmd...
    local want=$1; shift
    "$@" >"$D/out" 2>"$D/err"; local got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL: exit $got, expected $want: $*" >&2; cat "$D/out" "$D/err" >&2
        fails=$((fails + 1))
    fi
}
summary() { # summary IMPORTED SKIPPED INVALID
    if ! grep -Eq "^import: $1 imported, $2 skipped, $3 invalid, [0-9.]+ seconds$" out; then
        echo "FAIL: expected $1 imported, $2 skipped, $3 invalid; got: $(cat out)" >&2
        fails=$((fails + 1))
    fi
}

code 0 "$E" admin init
code 0 "$E" admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
code 0 "$E" admin user add --id u-coord --role coordinator --org org-platform --verified

# The split into valid and invalid full records is the one measured with
# jsonschema in EXPECTED.tsv; the expected counts come from the records.
mkdir valid invalid
while IFS=$'\t' read -r f kind valid _; do
    case "$f" in \#*) continue ;; esac
    [ "$kind" = "full record vs CVE_JSON_5.1_bundled.json" ] || continue
    if [ "$valid" = True ]; then ln -s "$V/cve5/$f" "valid/$(echo "$f" | tr / _)"
    else ln -s "$V/cve5/$f" "invalid/$(echo "$f" | tr / _)"; fi
done <"$V/cve5/EXPECTED.tsv"
read -r n_valid n_pub n_rej <<<"$(python3 - valid <<'PY'
import json, os, sys
ids, rej, n = set(), 0, 0
for f in os.listdir(sys.argv[1]):
    r = json.load(open(os.path.join(sys.argv[1], f)))
    n += 1
    if r["cveMetadata"]["state"] == "REJECTED": rej += 1
    else: ids.add(r["cveMetadata"]["cveId"])
print(n, len(ids), rej)
PY
)"
n_invalid=$(ls invalid | wc -l)
ok test "$n_valid" -ge 5
ok test "$n_invalid" -ge 5
ok test "$n_rej" -ge 1

code 0 "$E" import --from cve5 valid
summary "$n_pub" $((n_valid - n_pub)) 0
ok grep -q 'REJECTED record' err
ok grep -q 'already imported as EMB-2026-' err
ok test "$(grep -c '^embargo: error' err)" = 0

# invalid records: each reported with its file and a reason, the rest continue
cp "$V/cve5/http-fixtures/CVE-2021-0004_published.json" one.json
python3 - <<'PY'
import json
r = json.load(open("one.json"))
r["cveMetadata"]["cveId"] = "CVE-2021-999999"
json.dump(r, open("invalid/zz-new-valid.json", "w"))
PY
echo '{"not": "closed"' >invalid/zz-broken.json
code 2 "$E" import --from cve5 invalid
summary 1 0 $((n_invalid + 1))
for f in invalid/*; do
    case "$f" in *zz-new-valid.json) continue ;; esac
    ok grep -Eq "^embargo: error: import: $f: .+" err
done
ok grep -q 'zz-broken.json: not JSON' err

# OSV: the schema-invalid record is refused, the others import or are
# skipped when they name a CVE already imported
mkdir osv
for f in "$V"/osv/linter-testdata/*.json "$V"/osv/ghsa-testdata/*.osv.json "$V"/osv/redhat-testdata/OSV/*.json; do
    ln -s "$f" "osv/$(basename "$(dirname "$f")")-$(basename "$f")"
done
n_osv=$(ls osv | wc -l)
code 2 "$E" import --from osv osv
ok grep -q 'nointroduced-' err
ok test "$(grep -c '^embargo: error' err)" = 1
read -r oi os on <<<"$(sed -E 's/^import: ([0-9]+) imported, ([0-9]+) skipped, ([0-9]+) invalid.*/\1 \2 \3/' out)"
ok test "$on" = 1
ok test $((oi + os + on)) = "$n_osv"
ok test "$oi" -ge 10

# re-import: nothing new, every record reported as skipped
total=$((n_pub + 1 + oi))
code 0 "$E" import --from cve5 valid
summary 0 "$n_valid" 0
ok test "$(grep -c '^embargo: skipped:' err)" = "$n_valid"
code 0 "$E" case list --limit 1000
ok test "$(grep -c '^EMB-2026-' out)" = "$total"
ok test "$(grep -c ' published  *public ' out)" = "$total"

# a single file, and the case it made
code 0 "$E" import --from cve5 "$V/cve5/http-fixtures/CVE-2021-0005_published.json"
summary 0 1 0
id=$(sed -nE 's/.*CVE-2021-0005 already imported as (EMB-[0-9]{4}-[0-9]{6}).*/\1/p' err)
ok test -n "$id"
code 0 "$E" case show "$id" --as u-coord --details
ok grep -q '"state": "published"' out
ok grep -q '"disclosure": "public"' out
ok grep -q '"CVE-2021-0005"' out
want_desc=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["containers"]["cna"]["descriptions"][0]["value"][:40])' "$V/cve5/http-fixtures/CVE-2021-0005_published.json")
ok grep -qF "$want_desc" out

# the description is sealed: not in the database in clear
ok test "$(grep -c -F "$want_desc" var/embargo.db var/embargo.db-wal 2>/dev/null | awk -F: '{s+=$2} END {print s+0}')" = 0

# usage errors
code 2 "$E" import valid
code 2 "$E" import --from nvd valid
code 2 "$E" import --from cve5
code 2 "$E" import --from cve5 --batch 0 valid
code 2 "$E" import --from cve5 --batch 100001 valid      # max + 1
code 0 "$E" import --from cve5 --batch 100000 valid      # max
summary 0 "$n_valid" 0
code 0 "$E" import --from cve5 --batch 1 valid           # one transaction per record
summary 0 "$n_valid" 0
code 2 "$E" import --from cve5 /nonexistent

# audited: one case.import event per imported case, and the chain verifies
if command -v sqlite3 >/dev/null; then
    ok test "$(sqlite3 var/embargo.db "SELECT count(*) FROM audit_events WHERE action = 'case.import'")" = "$total"
else
    echo "case.import event count skipped (no sqlite3 client)"
fi
code 0 "$E" audit verify
ok grep -q 'audit chain intact' out

echo "import: $((n_pub + 1 + oi)) cases, $fails failures"
[ "$fails" = 0 ]
