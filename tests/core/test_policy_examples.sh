#!/usr/bin/env bash
# Runs every example of docs/policy.md through `embargo policy decide` and
# checks the exit code the table documents; fails if an example file is not
# in the table, or the table names a file that does not exist. Also checks
# the bad-input contract (exit 2, the field named on stderr) and `list`.
set -u
: "${EMBARGO:?EMBARGO must point at the embargo binary}"
doc=docs/policy.md
dir=docs/examples/policy
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

declare -A want
while IFS='|' read -r file code; do
    want[$file]=$code
done < <(sed -n 's/^|.*(examples\/policy\/\([^)]*\.json\)) |.*| exit \([0-9]\) |$/\1|\2/p' "$doc")
[ "${#want[@]}" -ge 20 ] && ok || ko "only ${#want[@]} examples documented"

for f in "$dir"/*.json; do
    b=$(basename "$f")
    [ -n "${want[$b]:-}" ] || { ko "$b is not documented in $doc"; continue; }
done
for b in "${!want[@]}"; do
    [ -f "$dir/$b" ] || { ko "$doc names $b, which does not exist"; continue; }
    "$EMBARGO" policy decide --input "$dir/$b" >"$tmp/$b.out" 2>&1
    rc=$?
    echo "$rc" >"$tmp/$b.rc"
    if [ "$rc" = "${want[$b]}" ]; then ok; else ko "$b: exit $rc, documented ${want[$b]}"; fi
done
# Each JSON output parses and its decision agrees with the exit code.
bad=$(python3 - "$tmp" <<'PY'
import glob, json, sys
for out in glob.glob(sys.argv[1] + "/*.out"):
    rc = open(out[:-4] + ".rc").read().strip()
    try:
        d = json.load(open(out))["decision"]
    except Exception as e:
        print(out, "does not parse:", e)
        continue
    if (rc, d) not in (("0", "allow"), ("1", "deny"), ("1", "needs")):
        print(out, "exit", rc, "decision", d)
PY
)
[ -z "$bad" ] && ok || ko "$bad"

# Every action name appears in at least one example.
for a in transition share export notify publish delete_receipt approve attach_public \
    set_severity start_public_mode submit_nvdb download_attachment read_case receive tick \
    check_intake edit_filing shutdown pay link_id; do
    grep -lq "\"action\": \"$a" "$dir"/*.json && ok || ko "no example for action $a"
done

# Bad input: exit 2 and the field named.
err=$(printf '{"action":"share","now":"2026-02-29T00:00:00+08:00"}' | "$EMBARGO" policy decide -i - 2>&1 >/dev/null)
rc=$?
[ $rc = 2 ] && [[ $err == *"now: not an RFC 3339"* ]] && ok || ko "bad date: rc $rc, $err"
err=$(printf '{"action":"share","now":"2026-03-01T00:00:00Z","recipient":{"id":"x","kind":"coordinator","jurisdiction":"CN","colour":1}}' |
    "$EMBARGO" policy decide -i - 2>&1 >/dev/null)
rc=$?
[ $rc = 2 ] && [[ $err == "embargo: error: -: recipient.colour: unknown field" ]] && ok || ko "unknown field: rc $rc, $err"
"$EMBARGO" policy decide -i /nonexistent.json 2>/dev/null; [ $? = 2 ] && ok || ko "missing file"
"$EMBARGO" policy decide 2>/dev/null; [ $? = 2 ] && ok || ko "no --input"
"$EMBARGO" policy decide -i "$dir/publish-allowed.json" --pack nope 2>/dev/null; [ $? = 2 ] && ok || ko "unknown pack"
"$EMBARGO" policy frobnicate 2>/dev/null; [ $? = 2 ] && ok || ko "unknown subcommand"
# The same share under the CRA pack is allowed.
"$EMBARGO" policy decide -i "$dir/share-foreign-denied.json" --pack eu-cra-2024 >/dev/null; [ $? = 0 ] && ok || ko "cra share"

# list: every rule with id, article, zh and en.
n=$("$EMBARGO" policy list --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert all(r["id"] and r["article"] and r["zh"] and r["en"] for r in d["rules"])
print(len(d["rules"]))')
[ "${n:-0}" -ge 31 ] && ok || ko "policy list: $n rules"
"$EMBARGO" policy list | grep -q '^R-30 .*RMSV 9(7) (interpretation)$' && ok || ko "list text"
"$EMBARGO" policy list --format yaml 2>/dev/null; [ $? = 2 ] && ok || ko "bad format"

# The man page example is real output.
man=docs/man/embargo-policy.md
want_out=$(sed -n '/^    \$ embargo policy decide --input docs\/examples\/policy\/share-foreign-denied.json --format text$/,/^$/p' "$man" |
    sed '1d;$d;s/^    //')
got_out=$("$EMBARGO" policy decide --input "$dir/share-foreign-denied.json" --format text)
[ -n "$want_out" ] && [ "$want_out" = "$got_out" ] && ok || ko "man page example differs: $got_out"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
