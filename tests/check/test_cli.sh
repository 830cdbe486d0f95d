#!/bin/bash
# embargo check from the outside: exit codes, formats, SARIF schema, bad
# input, ordering with -j, stdin, allowlists, --redact.
set -u
E=${EMBARGO:?EMBARGO not set}
D=tests/check/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export EMBARGO_CACHE_DIR="$T/cache"  # never the user's cache
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect_rc() { # want, description, command...
    local want=$1 what=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" = "$want" ]; then ok; else bad "$what: exit $rc, want $want"; cat "$T/err"; fi
}

expect_rc 0 "clean advisory" "$E" check "$D/zh-advisory-clean.md"
# the README's two examples: a clean advisory that quotes an attack in an
# access-log line (detection guidance, not exploit code), and a blocked draft
expect_rc 0 "README's clean example" "$E" check examples/clean-advisory.md
expect_rc 1 "README's blocked example" "$E" check examples/blocked-writeup.md
expect_rc 1 "blocking draft" "$E" check "$D/zh-peiqi.md"
expect_rc 0 "warnings only" "$E" check "$D/zh-threat-report.md"
expect_rc 1 "--fail-on warn" "$E" check --fail-on warn "$D/zh-threat-report.md"
expect_rc 2 "missing file" "$E" check "$T/nope.md"
grep -q "embargo: error: $T/nope.md: " "$T/err" && ok || bad "error message format"
printf '' >"$T/empty.md"
expect_rc 2 "empty file" "$E" check "$T/empty.md"
printf 'a\0b' >"$T/bin.md"
expect_rc 2 "NUL byte" "$E" check "$T/bin.md"
printf '\xff\xfe\xfa' >"$T/bad.txt"
expect_rc 2 "invalid encoding" "$E" check "$T/bad.txt"
expect_rc 2 "bad option" "$E" check --nope "$D/zh-peiqi.md"
expect_rc 2 "bad format" "$E" check --format xml "$D/zh-peiqi.md"
expect_rc 2 "no input" "$E" check
expect_rc 0 "help" "$E" check --help
for o in --format --lang --rules --allowlist --vendor-domain --redact --redact-dir --fail-on --kind --jobs --max-hits --list-rules; do
    grep -q -- "$o" "$T/out" && ok || bad "--help does not document $o"
done
# one unreadable input among good ones: others still reported, exit 2
expect_rc 2 "mixed inputs" "$E" check --format json "$D/zh-advisory-clean.md" "$T/nope.md" "$D/zh-peiqi.md"
python3 - "$T/out" <<'PY' && ok || bad "json with an error entry"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["version"] == 1
f = j["files"]
assert [x.get("verdict") for x in f] == ["pass", None, "block"], f
assert "error" in f[1] and f[1]["findings"] == []
for x in f[2]["findings"]:
    for k in ("rule", "family", "article", "severity", "line", "column", "start", "end", "excerpt", "message"):
        assert k in x, k
    assert x["severity"] in ("block", "warn")
    assert x["end"] > x["start"]
PY
# JSON offsets point into the source and credentials are masked
"$E" check --format json "$D/zh-leak.md" >"$T/leak.json"
python3 - "$T/leak.json" "$D/zh-leak.md" <<'PY' && ok || bad "json offsets / masking"
import json, sys
j = json.load(open(sys.argv[1])); src = open(sys.argv[2], "rb").read()
for x in j["files"][0]["findings"]:
    span = src[x["start"]:x["end"]].decode()
    if x["family"] == "credential":
        assert span not in x["excerpt"], x
        assert "****" in x["excerpt"]
    line = src.split(b"\n")[x["line"] - 1].decode()
    assert line[x["column"] - 1:].startswith(span.split("\n")[0][:5]), (line, x)
PY
grep -q "Qw8#xZ2!mL9" "$T/leak.json" && bad "secret printed in JSON" || ok
"$E" check "$D/zh-leak.md" | grep -q "Qw8#xZ2!mL9" && bad "secret printed in text" || ok
# order is input order with -j
"$E" check --format json -j 4 "$D"/*.md "$D"/*.txt >"$T/j4.json"
"$E" check --format json -j 1 "$D"/*.md "$D"/*.txt >"$T/j1.json"
cmp -s "$T/j4.json" "$T/j1.json" && ok || bad "-j 4 output differs from -j 1"
# directories: recursive, only the listed extensions, sorted
mkdir -p "$T/tree/b" "$T/tree/a"
printf 'x\n' >"$T/tree/b/z.md"; printf 'x\n' >"$T/tree/a/y.txt"; printf 'x\n' >"$T/tree/skip.png"
"$E" check --format json "$T/tree" >"$T/tree.json"
python3 -c "import json; j=json.load(open('$T/tree.json')); p=[f['path'] for f in j['files']]; assert len(p) == 2 and p[0].endswith('/a/y.txt') and p[1].endswith('/b/z.md'), j" && ok || bad "directory walk"
# stdin
expect_rc 1 "stdin" sh -c "printf '访问1.2.3.4即可\n' | '$E' check -"
grep -q "^-:1:3: block: \[live_target.ipv4\]" "$T/out" && ok || bad "stdin text line"
# language
LANG=zh_CN.UTF-8 "$E" check "$D/zh-peiqi.md" | grep -q "公开的 IPv4" && ok || bad "zh from LANG"
"$E" check --lang en "$D/zh-peiqi.md" | grep -q "public IPv4" && ok || bad "--lang en"
# colour never on a pipe
"$E" check "$D/zh-peiqi.md" | grep -q $'\033' && bad "colour on a pipe" || ok
# allowlist: by excerpt, and at=path:line
cat >"$T/allow" <<A
live_target.ipv4 excerpt="45.76.12.9" reason="lab box"
* path="$D/zh-threat-report.md" reason="published threat report"
A
"$E" check --format json --allowlist "$T/allow" "$D/zh-peiqi.md" "$D/zh-threat-report.md" >"$T/al.json"
python3 - "$T/al.json" <<'PY' && ok || bad "allowlist"
import json, sys
j = json.load(open(sys.argv[1]))
ips = [x for x in j["files"][0]["findings"] if x["rule"] == "live_target.ipv4"]
assert ips and all(x.get("suppressed") and x["reason"] == "lab box" for x in ips), ips
assert j["files"][1]["verdict"] == "pass"
PY
printf 'live_target.ipv4 excerpt="x"\n' >"$T/badallow"
expect_rc 2 "bad allowlist" "$E" check --allowlist "$T/badallow" "$D/zh-peiqi.md"
grep -q "badallow:1: missing reason" "$T/err" && ok || bad "allowlist error message"
# rules override: make hype block, disable ipv4
printf '[hype.superlative]\nseverity = block\n[live_target.ipv4]\ndisabled = yes\n' >"$T/r.rules"
printf '核弹级漏洞\n' >"$T/hype.md"
expect_rc 0 "hype warns" "$E" check "$T/hype.md"
expect_rc 1 "override severity" "$E" check --rules "$T/r.rules" "$T/hype.md"
printf '[x]\nfamily = nope\n' >"$T/bad.rules"
expect_rc 2 "bad rules" "$E" check --rules "$T/bad.rules" "$D/zh-peiqi.md"
printf '[x.bad]\nfamily = hype\narticle = A\nseverity = warn\nzh = z\nen = e\npattern = (unclosed\n' >"$T/bad2.rules"
expect_rc 2 "uncompilable pattern" "$E" check --rules "$T/bad2.rules" "$D/zh-peiqi.md"
# a gated pattern: found like a plain one; one without a literal gate is an error
printf '[x.gate]\nfamily = hype\narticle = A\nseverity = block\nvalidate = line\nzh = z\nen = e\ngated = on\\s+beacon_initial\n' >"$T/gate.rules"
printf 'on\n\n  beacon_initial\n' >"$T/gate.md"
expect_rc 1 "gated pattern" "$E" check --rules "$T/gate.rules" "$T/gate.md"
grep -q 'x.gate' "$T/out" && ok || bad "gated finding"
printf '[x.gate]\nfamily = hype\narticle = A\nseverity = block\nzh = z\nen = e\ngated = [0-9]+\\s+[a-z]+\n' >"$T/gate2.rules"
expect_rc 2 "gated pattern without a gate" "$E" check --rules "$T/gate2.rules" "$T/gate.md"
grep -q "x.gate: gated pattern" "$T/err" && ok || bad "gated pattern error message"
# --max-hits at max and max+1
printf '核弹级\n核弹级\n' >"$T/h.md"
expect_rc 0 "max-hits max" "$E" check --max-hits 2 "$T/h.md"
expect_rc 2 "max-hits max+1" "$E" check --max-hits 1 "$T/h.md"
# --redact: single input, output passes the redacted families
expect_rc 1 "redact" "$E" check --redact "$T/red.md" "$D/zh-peiqi.md"
"$E" check --format json "$T/red.md" >"$T/red.json"
python3 - "$T/red.json" <<'PY' && ok || bad "redacted copy still blocks"
import json, sys
for x in json.load(open(sys.argv[1]))["files"][0]["findings"]:
    assert not (x["severity"] == "block" and x["family"] in ("live_target", "search_dork", "credential", "exploit_code")), x
PY
grep -q "漏洞利用代码已删除" "$T/red.md" && ok || bad "zh notice in redacted copy"
expect_rc 2 "redact needs one input" "$E" check --redact "$T/x.md" "$D/zh-peiqi.md" "$D/zh-leak.md"
expect_rc 1 "redact-dir" "$E" check --redact-dir "$T/rd" "$D"/*.md "$D"/*.txt
[ -f "$T/rd/$D/zh-peiqi.md" ] && [ -f "$T/rd/$D/zh-fofa-label.txt" ] && ok || bad "redact-dir outputs"
# SARIF validates against the official schema
"$E" check --format sarif "$D"/*.md "$T/nope.md" >"$T/out.sarif" 2>/dev/null
SCHEMA="$(dirname "$0")/../../../shared/vectors/sarif/sarif-schema-2.1.0.json"
if [ -f "$SCHEMA" ] && python3 -c "import jsonschema" 2>/dev/null; then
    python3 - "$SCHEMA" "$T/out.sarif" <<'PY' && ok || bad "SARIF schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema)
assert doc["runs"][0]["results"], "no results"
assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False
PY
else
    echo "SARIF schema check skipped (no ../shared or python3-jsonschema)"
fi
# the compiled-database cache: written once, reused, and a corrupt file is ignored
ls "$T/cache"/check-*.hsdb >/dev/null 2>&1 && ok || bad "no cache file written"
for f in "$T/cache"/check-*.hsdb; do printf 'garbage' >"$f"; done
expect_rc 1 "corrupt cache falls back to compiling" "$E" check "$D/zh-peiqi.md"
EMBARGO_NO_CACHE=1 "$E" check "$D/zh-peiqi.md" >/dev/null; [ $? = 1 ] && ok || bad "EMBARGO_NO_CACHE"
# JSON inputs: each finding names its field by JSON Pointer (the pointer
# belongs to the report, which outlives the parsed document: ASan checks it)
cat >"$T/osv.json" <<'J'
{"schema_version": "1.6.0", "id": "OSV-2026-0001", "modified": "2026-01-05T00:00:00Z",
 "summary": "Gateway RCE",
 "details": "Vulnerable servers still online: 121.41.77.23:8443 (Hengtai Group OA) and 47.96.12.208.",
 "affected": [{"package": {"ecosystem": "npm", "name": "gw"}}]}
J
"$E" check --format json "$T/osv.json" >"$T/osv.out"
python3 - "$T/osv.out" <<'PY' && ok || bad "JSON input: pointer"
import json, sys
j = json.load(open(sys.argv[1]))
f = [x for x in j["files"][0]["findings"] if x["family"] == "live_target"]
assert f and all(x.get("pointer") == "/details" for x in f), j
PY
# list rules
"$E" check --list-rules --format json | python3 -c "import json,sys; r=json.load(sys.stdin); assert {x['family'] for x in r} == {'live_target','search_dork','exploit_code','mass_scanner','webshell','credential','hype','no_remediation'}" && ok || bad "--list-rules"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
