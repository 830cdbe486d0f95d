#!/usr/bin/env bash
# embargo cvss: text and JSON output, stdin, exit codes, one decimal, errors.
set -u
E=${EMBARGO:?EMBARGO must point at the embargo binary}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # name expected actual
    if [ "$2" == "$3" ]; then ok; else bad "$1: expected [$2] got [$3]"; fi
}

V31=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
V40=CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
V20=AV:N/AC:L/Au:N/C:C/I:C/A:C

out=$("$E" cvss "$V31"); rc=$?
check "text 3.1" "$V31: CVSS 3.1 base 9.8 (Critical), temporal 9.8 (Critical), environmental 9.8 (Critical)" "$out"
check "rc valid" 0 "$rc"

out=$("$E" cvss "($V20)")
check "text 2.0 parens" "($V20): CVSS 2.0 base 10.0 (High)" "$out"

out=$("$E" cvss "$V40/E:U")
check "text 4.0" "$V40/E:U: CVSS 4.0 score 8.1 (High) CVSS-BT, base 9.3 (Critical)" "$out"

out=$("$E" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N)
check "zero prints 0.0" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N: CVSS 3.1 base 0.0 (None), temporal 0.0 (None), environmental 0.0 (None)" "$out"

# JSON: one array, input order, error items, exit 2
out=$("$E" cvss --format json "$V31" bogus "$V40" 2>/dev/null); rc=$?
check "json rc with an invalid vector" 2 "$rc"
exp='[
  {"vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","version":"3.1","base_score":9.8,"base_severity":"Critical","temporal_score":9.8,"environmental_score":9.8,"canonical":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
  {"vector":"bogus","error":"field '"'"'bogus'"'"' at offset 0 has no '"'"':'"'"'"},
  {"vector":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N","version":"4.0","base_score":9.3,"base_severity":"Critical","score":9.3,"severity":"Critical","nomenclature":"CVSS-B","macrovector":"000200","canonical":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}
]'
check "json array" "$exp" "$out"
if command -v python3 >/dev/null; then
    printf '%s' "$out" | python3 -c 'import json,sys; a=json.load(sys.stdin); assert len(a)==3' && ok || bad "json parses"
fi

out=$("$E" cvss --format=json "$V20" 2>/dev/null)
check "json 2.0 omits undefined temporal" '[
  {"vector":"AV:N/AC:L/Au:N/C:C/I:C/A:C","version":"2.0","base_score":10.0,"base_severity":"High","canonical":"AV:N/AC:L/Au:N/C:C/I:C/A:C"}
]' "$out"

# stdin with '-', CRLF and blank lines, in order with arguments
out=$(printf '%s\r\n\n%s\n' "$V31" "$V40/E:P" | "$E" cvss --format json "$V20" - 2>/dev/null | python3 -c '
import json,sys
for i in json.load(sys.stdin): print(i["version"], i.get("score", i["base_score"]))')
check "stdin order" "2.0 10.0
3.1 9.8
4.0 8.9" "$out"

# a too-long stdin line is one error, not a crash or a split
long=$(head -c 5000 /dev/zero | tr '\0' 'A')
err=$(printf 'CVSS:3.1/%s\n%s\n' "$long" "$V31" | "$E" cvss - 2>&1 >/dev/null); rc=$?
check "long line rc" 2 "$rc"
case "$err" in *"longer than the limit of 255"*) ok ;; *) bad "long line message: $err" ;; esac
out=$(printf 'CVSS:3.1/%s\n%s\n' "$long" "$V31" | "$E" cvss - 2>/dev/null)
check "line after long line still scored" "$V31: CVSS 3.1 base 9.8 (Critical), temporal 9.8 (Critical), environmental 9.8 (Critical)" "$out"

# error message format on stderr
err=$("$E" cvss "CVSS:4.0/AV:N" 2>&1 >/dev/null); rc=$?
check "error message" "embargo: error: cvss: 'CVSS:4.0/AV:N': mandatory metric 'AC' is missing" "$err"
check "invalid rc" 2 "$rc"

# a write error is not success
if [ -w /dev/full ]; then
    "$E" cvss "$V31" >/dev/full 2>/dev/null; check "write error" 2 $?
fi

# usage errors
"$E" cvss >/dev/null 2>&1; check "no vector" 2 $?
"$E" cvss --format xml "$V31" >/dev/null 2>&1; check "bad format" 2 $?
"$E" cvss --bogus "$V31" >/dev/null 2>&1; check "bad option" 2 $?
"$E" cvss --help | grep -q 'usage: embargo cvss'; check "help" 0 $?
"$E" help cvss | grep -q 'usage: embargo cvss'; check "help via embargo help" 0 $?
"$E" --help | grep -q '^  cvss '; check "listed in embargo --help" 0 $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
