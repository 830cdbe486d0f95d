#!/bin/bash
# embargo csaf validate: exit codes (0 valid, 1 schema/mandatory failure, 2
# unreadable or not JSON), both output formats, and several files at once.
set -u
: "${EMBARGO:?EMBARGO must point at the built binary}"
V="$(dirname "$0")/../../../shared/vectors/csaf"
[ -d "$V" ] || { echo "skipped: $V not found"; exit 77; }
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() { # expect NAME WANT_RC ARGS...
    local name=$1 want=$2 rc
    shift 2
    out=$("$EMBARGO" "$@" 2>"$tmp/err"); rc=$?
    err=$(cat "$tmp/err")
    if [ "$rc" -eq "$want" ]; then ok; else bad "$name: exit $rc, want $want"; fi
}
has() { if printf '%s' "$2" | grep -qF -- "$3"; then ok; else bad "$1: no '$3' in: $2"; fi; }

M=$V/validator/data/mandatory
expect valid 0 csaf validate "$V/examples/csaf/bsi-2022-0001.json"
has valid "$out" "valid (0 errors"
expect mandatory 1 csaf validate "$M/oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json"
has mandatory "$out" "error 6.1.1 /product_tree/product_groups/0/product_ids/0"
expect json 1 csaf validate --format json "$M/oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json"
printf '%s' "$out" | python3 -c '
import json, sys
items = json.load(sys.stdin)
assert all(set(i) == {"file", "test", "path", "message", "severity"} for i in items)
assert any(i["test"] == "6.1.1" and i["severity"] == "error" for i in items)
assert any(i["test"].startswith("6.2.") and i["severity"] == "warning" for i in items)
' && ok || bad "json: shape"
# an optional finding alone does not fail
expect optional 0 csaf validate "$V/validator/data/optional/oasis_csaf_tc-csaf_2_0-2021-6-2-10-01.json"
has optional "$out" "warning 6.2.10"
printf '{"document": ' >"$tmp/bad.json"
expect notjson 2 csaf validate "$tmp/bad.json"
has notjson "$err" "embargo: error: $tmp/bad.json: not JSON"
expect missing 2 csaf validate "$tmp/none.json"
has missing "$err" "cannot read"
printf '{"a": 1, "a": 2}' >"$tmp/dup.json"
expect dupkey 2 csaf validate "$tmp/dup.json"
expect mixed 2 csaf validate "$V/examples/csaf/bsi-2022-0001.json" "$tmp/bad.json"
expect several 1 csaf validate "$V/examples/csaf/bsi-2022-0001.json" "$M/oasis_csaf_tc-csaf_2_0-2021-6-1-02-01.json"
expect usage 2 csaf validate
expect usage2 2 csaf frobnicate
expect badfmt 2 csaf validate --format xml "$V/examples/csaf/bsi-2022-0001.json"
# 6.1.11 with a CWE catalogue
CWE="$(dirname "$0")/../formats/data/cwe-sample.csv"
expect cwe 1 csaf validate --cwe-catalog "$CWE" "$M/oasis_csaf_tc-csaf_2_0-2021-6-1-11-01.json"
has cwe "$out" "error 6.1.11 /vulnerabilities/0/cwe"
expect nocwe 0 csaf validate "$M/oasis_csaf_tc-csaf_2_0-2021-6-1-11-01.json"
expect cwe-examples 0 csaf validate --cwe-catalog "$CWE" "$V"/examples/csaf/*.json
printf 'CWE-ID,Name\n' >"$tmp/empty.csv"
expect cwe-bad 2 csaf validate --cwe-catalog "$tmp/empty.csv" "$V/examples/csaf/bsi-2022-0001.json"
has cwe-bad "$err" "not a CWE catalogue"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
