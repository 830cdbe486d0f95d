#!/usr/bin/env bash
# `embargo serve --demo` (src/daemon/demo.c): a seeded instance in a new
# directory on 127.0.0.1:0. Checks: the ready line; demo-credentials.json is
# 0600 and holds every role with login, password, role, org, jurisdiction;
# no password in the log; the seeded states through the API with a demo
# token (the overdue NVDB case's tick decision is R-07 overdue; the blocked
# case's publish decision is deny/needs with S-GATE, its seeded publication
# attempt audited as needs, and `embargo check` blocks its draft; the event
# case may never be published; the HK share was refused by R-30); passwords
# stored as argon2id; SIGTERM stops it; `embargo audit verify` passes; a
# second start reuses the instance; a directory with another store and a
# public-mode demo are refused.
set -u
: "${EMBARGO:?EMBARGO must name the embargo binary}"
command -v curl >/dev/null || { echo "skipped: curl missing"; exit 77; }
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$t"' EXIT
dir=$t/nested/demo   # created by --demo, parents included

start() { # start OUT ERR: a demo server in the background; sets pid and url
    "$EMBARGO" serve --demo --listen 127.0.0.1:0 --data "$dir" >"$1" 2>"$2" &
    pid=$!
    url=
    for _ in $(seq 600); do
        url=$(sed -n 's/^listening on //p' "$1" 2>/dev/null)
        [ -n "$url" ] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.1
    done
}
stop() {
    kill -TERM $pid; wait $pid; st=$?; pid=
    [ $st -eq 0 ] && ok || bad "graceful stop exit $st"
}

start "$t/out" "$t/err"
[ -n "$url" ] && ok || { bad "no ready line"; cat "$t/err" >&2; exit 1; }
creds=$dir/demo-credentials.json
[ "$(stat -c %a "$creds")" = 600 ] && ok || bad "credentials mode $(stat -c %a "$creds")"
[ "$(stat -c %a "$dir")" = 700 ] && ok || bad "demo directory mode $(stat -c %a "$dir")"
python3 - "$creds" <<'PY' && ok || bad "credentials content"
import json, re, sys
c = json.load(open(sys.argv[1]))
assert isinstance(c, list) and c
for e in c:
    for k in ("login", "password", "role", "org", "jurisdiction"):
        assert isinstance(e.get(k), str) and e[k], (e.get("login"), k)
    assert len(e["password"]) >= 20, e["login"]
    assert re.fullmatch(r"[A-Z]{2}", e["jurisdiction"]), e
roles = {e["role"] for e in c}
assert {"reporter", "coordinator", "vendor_member", "auditor", "admin"} <= roles, roles
vendors = {e["jurisdiction"] for e in c if e["role"] == "vendor_member"}
assert "CN" in vendors and len(vendors) >= 2, vendors   # a CN and a foreign vendor member
assert len({e["login"] for e in c}) == len(c)
assert len({e["password"] for e in c}) == len(c)
PY
tok() { python3 -c "import json,sys; print([e['token'] for e in json.load(open(sys.argv[1])) if e['login'] == sys.argv[2]][0])" "$creds" "$1"; }
case_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$dir/demo-cases.json" "$1"; }
TC=$(tok coordinator)
TA=$(tok auditor)
# every password was printed once to the terminal and never to the log
while read -r pw; do
    grep -qF -- "$pw" "$t/out" && ok || bad "a password was not printed"
    grep -qF -- "$pw" "$t/err" && bad "a password is in the log" || ok
    grep -qF -- "$pw" "$dir/embargo.db" && bad "a password is in the database" || ok
done < <(python3 -c "import json,sys; [print(e['password']) for e in json.load(open(sys.argv[1]))]" "$creds")

get() { # get PATH TOKEN: body in $t/r, status in $code
    code=$(curl -s -o "$t/r" -w '%{http_code}' -H "Authorization: Bearer $2" "$url$1")
}
# the seeded states
get /api/v1/cases "$TC"
python3 - "$t/r" "$dir/demo-cases.json" <<'PY' && ok || bad "case states"
import json, sys
items = {i["id"]: i for i in json.load(open(sys.argv[1]))["items"]}
cases = json.load(open(sys.argv[2]))
want = {"published": ("published", "public", "product"),
        "publication_blocked": ("approved", "undisclosed", "product"),
        "event": ("vendor_notified", "undisclosed", "event"),
        "nvdb_overdue": ("vendor_notified", "undisclosed", "product"),
        "verified_shared": ("verified", "undisclosed", "product"),
        "received": ("received", "undisclosed", "product")}
assert len(items) == 6, len(items)
for label, (state, disc, typ) in want.items():
    i = items[cases[label]]
    assert (i["state"], i["disclosure"], i["type"]) == (state, disc, typ), (label, i)
PY
O=$(case_of nvdb_overdue)
get "/api/v1/cases/$O/decision?action=tick" "$TC"
python3 - "$t/r" <<'PY' && ok || bad "overdue NVDB decision"
import json, sys
d = json.load(open(sys.argv[1]))
r07 = [r for r in d["reasons"] if r["rule"] == "R-07"]
assert r07 and "overdue" in r07[0]["en"], d["reasons"]
assert d["clocks"][0]["overdue"] is True
assert any(t["kind"] == "escalate" and t["rule"] == "R-07" for t in d["tasks"])
PY
B=$(case_of publication_blocked)
get "/api/v1/cases/$B/decision?action=publish" "$TC"
python3 - "$t/r" <<'PY' && ok || bad "blocked publish decision"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["decision"] in ("deny", "needs"), d["decision"]
assert any(r["rule"] == "S-GATE" and r["outcome"] == "needs" for r in d["reasons"])
PY
# the text check really blocks the draft the demo tried to publish
get "/api/v1/cases/$B" "$TC"
python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['advisory']['remediation'])" "$t/r" >"$t/draft.md"
"$EMBARGO" check "$t/draft.md" >"$t/check.out" 2>&1
[ $? -eq 1 ] && grep -q 'search_dork' "$t/check.out" && ok || bad "the blocked draft passes embargo check"
E=$(case_of event)
get "/api/v1/cases/$E/decision?action=publish" "$TC"
grep -q '"decision":"deny"' "$t/r" && grep -q '"rule":"R-22","article":"RMSV 9(2)","outcome":"deny"' "$t/r" && ok || bad "event case publishable"
P=$(case_of published)
get "/api/v1/cases/$P/export?format=csaf" "$TC"
[ "$code" = 200 ] && ok || bad "published export: $code"
cp "$t/r" "$t/p.csaf.json"
"$EMBARGO" csaf validate "$t/p.csaf.json" >/dev/null && ok || bad "demo CSAF invalid"
get "/api/v1/cases/$(case_of verified_shared)/export?format=osv" "$TC"
[ "$code" = 403 ] && grep -q '"rule":"EXP-1"' "$t/r" && ok || bad "undisclosed OSV export: $code"
get /api/v1/audit/verify "$TA"
grep -q '"intact":true' "$t/r" && ok || bad "audit verify over the API"
stop

# in the store: argon2id hashes, the audited refusals, a chain that verifies
S=(--store "sqlite:$dir/embargo.db" --master-key "$dir/master.key"
   --signing-key "$dir/signing.key" --witness "$dir/audit.witness")
"$EMBARGO" audit verify "${S[@]}" >"$t/v" 2>&1 && ok || { bad "audit verify"; cat "$t/v" >&2; }
if command -v sqlite3 >/dev/null; then
    q() { sqlite3 "$dir/embargo.db" "$1"; }
    [ "$(q "select count(*) from users where pwhash like '\$argon2id\$%'")" = 8 ] && ok || bad "argon2id hashes"
    [ "$(q "select decision from audit_events where action = 'advisory.publish' and object = '$B'")" = 3 ] && ok || bad "blocked publication not audited as needs"
    q "select reasons from audit_events where action = 'advisory.publish' and object = '$B'" | grep -q '^\[\["S-GATE"' && ok || bad "blocked publication reason"
    [ "$(q "select count(*) from audit_events where action = 'case.participant' and decision = 2 and reasons like '%R-30%'")" = 1 ] && ok || bad "HK share refusal not audited"
    [ "$(q "select count(*) from audit_events where action = 'case.create'")" = 6 ] && ok || bad "case count"
    events=$(q "select count(*) from audit_events")
fi

# a second start reuses the instance: same credentials, no new seeding
sum=$(sha256sum "$creds")
start "$t/out2" "$t/err2"
[ -n "$url" ] && ok || bad "second start: no ready line"
grep -q 'reused' "$t/out2" && ok || bad "second start does not say reused"
[ "$(sha256sum "$creds")" = "$sum" ] && ok || bad "credentials changed"
while read -r pw; do
    grep -qF -- "$pw" "$t/out2" && bad "a password printed again" || ok
done < <(python3 -c "import json,sys; [print(e['password']) for e in json.load(open(sys.argv[1]))]" "$creds")
get /api/v1/cases "$TC"
[ "$code" = 200 ] && [ "$(grep -o '"id":"EMB-' "$t/r" | wc -l)" = 6 ] && ok || bad "second start: cases"
stop
if command -v sqlite3 >/dev/null; then
    [ "$(q "select count(*) from audit_events where action = 'case.create'")" = 6 ] && ok || bad "seeded twice"
fi

# a directory with a store that is not a demo is never seeded over
other=$t/other
"$EMBARGO" admin init --store "sqlite:$other/embargo.db" --master-key "$other/master.key" \
    --signing-key "$other/signing.key" --witness "$other/audit.witness" >/dev/null || bad "admin init"
"$EMBARGO" serve --demo --listen 127.0.0.1:0 --data "$other" >"$t/out3" 2>"$t/err3"
[ $? -eq 2 ] && grep -q 'not a finished demo instance' "$t/err3" && ! grep -q listening "$t/out3" &&
    ok || bad "demo over another store"
# the demo is a non-public installation (R-40 does not stop it; public mode is refused)
EMBARGO_PLATFORM_PUBLIC=yes "$EMBARGO" serve --demo --listen 127.0.0.1:0 --data "$t/x" >"$t/out4" 2>"$t/err4"
[ $? -eq 2 ] && grep -q 'non-public installation' "$t/err4" && [ ! -e "$t/x" ] && ok || bad "public demo"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
