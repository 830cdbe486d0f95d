#!/bin/bash
# embargo grade: output in both formats, the comprehensive grade only with all
# environment factors, exit codes and error messages. Expected grades are
# worked out by hand from REGULATION.md 3.1 (Annexes A-E), not from the code.
set -u
: "${EMBARGO:?EMBARGO must point at the built binary}"
pass=0 fail=0
errf=$(mktemp) || exit 1
trap 'rm -f "$errf"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() { # expect NAME WANT_RC ARGS...
    local name=$1 want=$2 rc
    shift 2
    out=$("$EMBARGO" "$@" 2>"$errf"); rc=$?
    err=$(cat "$errf")
    if [ "$rc" -eq "$want" ]; then ok; else bad "$name: exit $rc, want $want"; fi
}
has() { # has NAME TEXT NEEDLE
    if printf '%s' "$2" | grep -qF -- "$3"; then ok; else bad "$1: no '$3' in: $2"; fi
}
hasnt() {
    if printf '%s' "$2" | grep -qF -- "$3"; then bad "$1: unexpected '$3'"; else ok; fi
}

# A9 (AV:N AC:L PR:N UI:N), B9 (HHH) -> D: 超危; C: S:H E:L RL:M = 8 -> E: 超危.
expect full 0 grade GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H
has full "$out" "exploitability  9"
has full "$out" "impact          9"
has full "$out" "environment     8"
has full "$out" "technical       超危 critical"
has full "$out" "comprehensive   超危 critical"
has full "$out" "访问路径 access path: 网络 network"
has full "$out" "unverified"
[ -z "$err" ] && ok || bad "full: stderr not empty: $err"

# A: AV:A AC:H PR:L UI:R = 2; B: (H,L,N) = (0,1,2) -> 1; D row 2 col 1 = 低危.
# C: S:L E:H RL:H = 3; E: 低危 env 3 = 低危.
expect low 0 grade GBT30279/AV:A/AC:H/PR:L/UI:R/C:N/I:L/A:N/E:H/RL:H/S:L
has low "$out" "exploitability  2"
has low "$out" "impact          1"
has low "$out" "environment     3"
has low "$out" "technical       低危 low"
has low "$out" "comprehensive   低危 low"

# A: AV:L AC:L PR:L UI:N = 6; B: (1,1,1) = 5 -> D: 中危; C: S:H E:L RL:H = 9 -> E: 中危 env 9 = 超危.
expect raise 0 grade GBT30279/AV:L/AC:L/PR:L/UI:N/C:H/I:L/A:N/RL:H/S:H/E:L
has raise "$out" "technical       中危 medium"
has raise "$out" "comprehensive   超危 critical"
has raise "$out" "GBT30279/AV:L/AC:L/PR:L/UI:N/C:H/I:L/A:N/E:L/RL:H/S:H" # canonical order

# No environment: no comprehensive grade. A: AV:N AC:H PR:N UI:R = 5; B (2,1,0) = 8 -> 高危.
expect noenv 0 grade GBT30279/AV:N/AC:H/PR:N/UI:R/C:H/I:H/A:L
has noenv "$out" "technical       高危 high"
has noenv "$out" "comprehensive   -"
hasnt noenv "$out" "综合分级 (Annex E)"
# Two of three environment factors: still none.
expect partial 0 grade GBT30279/AV:N/AC:H/PR:N/UI:R/C:H/I:H/A:L/E:L/S:H
has partial "$out" "comprehensive   -"
has partial "$out" "RL    修复难度 difficulty of fixing: not given"

# JSON.
expect json 0 grade --format json GBT30279/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:L/E:M/RL:M/S:M
if command -v python3 >/dev/null; then
    got=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["exploitability"]["value"], d["impact"]["value"], d["environment"]["value"],
      d["technical_grade"]["zh"], d["technical_grade"]["en"],
      d["comprehensive_grade"]["zh"], d["comprehensive_grade"]["key"], d["tables_verified"],
      d["exploitability"]["factors"][0]["value_zh"])')
    # A: N L H N = 7 (doubtful cell A1); B (0,3,0) = 3 -> D row 7 col 3 = 中危;
    # C: S:M E:M RL:M = 6 -> E: 中危 env 6 = 中危.
    [ "$got" = "7 3 6 中危 medium 中危 medium False 网络" ] && ok || bad "json: $got"
fi
expect json-noenv 0 grade --format=json GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:N/A:N
has json-noenv "$out" '"comprehensive_grade": null'
has json-noenv "$out" '"value": null'

# Errors: exit 2, message on stderr, nothing on stdout.
expect notgradable 2 grade GBT30279/AV:N/AC:L/PR:N/UI:N/C:N/I:N/A:N
has notgradable "$err" "embargo: error: invalid GB/T 30279 vector: not gradable"
[ -z "$out" ] && ok || bad "notgradable: stdout not empty"
expect cvss 2 grade CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
has cvss "$err" "this is a CVSS vector"
expect badvalue 2 grade GBT30279/AV:Q/AC:L/PR:N/UI:N/C:H/I:H/A:H
has badvalue "$err" "expected N, A, L or P"
expect missing 2 grade GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H
has missing "$err" "missing A (可用性 availability)"
expect snone 2 grade GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/S:N
has snone "$err" "Annex C"
expect toolong 2 grade "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H/XXXXXXXXXXXX"
has toolong "$err" "longer than 64 bytes"

# Usage.
expect novector 2 grade
has novector "$err" "no vector given"
expect twovectors 2 grade GBT30279/AV:N GBT30279/AV:N
expect badformat 2 grade --format sarif GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H
expect noformat 2 grade --format
expect badopt 2 grade --frobnicate GBT30279/AV:N
expect help 0 grade --help
has help "$out" "usage: embargo grade"
expect helpcmd 0 help grade
has helpcmd "$out" "usage: embargo grade"
expect listed 0 --help
has listed "$out" "grade a vulnerability by GB/T 30279-2020"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
