#!/bin/bash
# The store commands end to end: admin init (recovery key shown once),
# organisations and users, case create/transition/show/list through the
# policy engine with exit codes, audit verify before and after tampering
# with one event row, backup and restore, db copy, master key rotation
# (readers keep working), and recovery of a lost master key with the
# recovery key.
#
# On SQLite by default. test_cli_pg.sh runs the same script on PostgreSQL:
# EMB_CLI_STORE and EMB_CLI_STORE2 are then the URIs of two empty databases
# (the store, and the one a backup is restored into with db copy, since a
# PostgreSQL store is never overwritten in place).
set -u
E=${EMBARGO:?EMBARGO must point at the embargo binary}
D=$(mktemp -d /tmp/emb-cli-store-XXXXXX)
trap 'rm -rf "$D"' EXIT
cd "$D" || exit 1
export EMBARGO_NOW=2026-03-01T10:00:00Z
PG=${EMB_CLI_STORE:+1}
if [ -n "$PG" ]; then
    export EMBARGO_STORE=$EMB_CLI_STORE
    PG_DUMP=${EMB_TEST_PG_BIN:-/usr/bin}/pg_dump
    PSQL=${EMB_TEST_PG_BIN:-/usr/bin}/psql
fi
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

code 0 "$E" admin init
ok grep -q '^embrk_' out
RK=$(grep '^embrk_' out)
ok test "$(stat -c %a var/master.key)" = 600
code 2 "$E" admin init                       # never replaces a master key
code 2 "$E" admin init --master-key var/other.key  # nor initialises twice
ok test ! -e var/other.key
code 0 "$E" db status
code 0 "$E" db migrate
ok grep -q 'applied 0 migrations' out
code 2 "$E" db frobnicate
code 2 "$E" db status --store 'mysql://x'

code 0 "$E" admin org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor
code 0 "$E" admin org add --id org-finder --kind reporter_team --jurisdiction CN --name Finder
code 0 "$E" admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
code 2 "$E" admin org add --id org-x --kind nonsense --jurisdiction CN --name X
code 2 "$E" admin org add --id org-vendor --kind coordinator --jurisdiction CN --name Again
code 0 "$E" admin user add --id u-coord --role coordinator --org org-platform --verified
ok grep -q 'one-time password' out
code 0 "$E" admin token add --user u-coord
ok grep -Eq '^emb_[A-Za-z0-9_-]{43}$' out

cat >case.json <<'JSON'
{"type": "product", "provider_org": "org-vendor", "submitter_org": "org-finder",
 "aware_at": "2026-02-10T09:30:00+08:00",
 "products": [{"vendor": "Example", "name": "EX Router", "model": "EX-1", "versions": "<2.4.1"}],
 "participants": [{"org": "org-vendor", "role": "vendor", "status": "active"}]}
JSON
echo '{"title": "SECRET-TITLE-7731", "verification_steps": "curl -d overflow"}' >details.json
code 0 "$E" case create --as u-coord --input case.json --details details.json --channel web
ok grep -q 'case: EMB-2026-000001' out
code 2 "$E" case create --as u-coord --input /nonexistent.json
code 2 "$E" case create --as u-nobody --input case.json
code 0 "$E" case transition EMB-2026-000001 triaged --as u-coord
code 1 "$E" case transition EMB-2026-000001 published --as u-coord --format json
ok grep -q '"decision": "deny"' out
code 2 "$E" case transition EMB-2026-000001 nowhere --as u-coord
code 2 "$E" case transition EMB-2026-000099 verified --as u-coord
code 0 "$E" case show EMB-2026-000001 --as u-coord --details
ok grep -q 'SECRET-TITLE-7731' out
code 0 "$E" case list --state triaged
ok grep -q 'EMB-2026-000001' out
code 2 "$E" case list --limit 1001
code 0 "$E" case list --limit 1000
if [ -n "$PG" ]; then
    "$PG_DUMP" --no-password -d "$EMB_CLI_STORE" -f dump.sql || fails=$((fails + 1))
    ok test -s dump.sql
    ok test "$(grep -c SECRET-TITLE-7731 dump.sql)" = 0
else
    ok test "$(grep -c SECRET-TITLE-7731 var/embargo.db)" = 0
fi

# the whole path to publication, each step through the policy engine
code 0 "$E" admin org add --id org-us --kind product_provider --jurisdiction US --name Foreign
code 0 "$E" admin user add --id u-coord2 --role coordinator --org org-platform --verified
code 0 "$E" admin user add --id u-coord3 --role coordinator --org org-platform --verified
python3 - <<'PY'
import json
c = json.load(open("case.json"))
c["vulnerabilities"] = [{"name": "EX Router overflow", "gbt_class": "代码问题/资源管理错误",
    "gbt_vector": "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
    "grade_technical": "critical", "grade_comprehensive": "high"}]
json.dump(c, open("case2.json", "w"), ensure_ascii=False)
PY
code 0 "$E" case create --as u-coord --input case2.json --channel web
ok grep -q 'case: EMB-2026-000002' out
C=EMB-2026-000002
code 0 "$E" case participant add $C --org org-finder --role reporter --as u-coord
code 1 "$E" case participant add $C --org org-us --role upstream_vendor --as u-coord
ok grep -q 'deny  R-30' out
code 2 "$E" case participant add $C --org org-none --role reporter --as u-coord
echo 'print("poc")' >poc.py
code 0 "$E" case attach $C poc.py --class poc --as u-coord
ok grep -q 'id: att-1' out
code 2 "$E" case attach $C poc.py --class nonsense --as u-coord
for s in triaged verified vendor_notified vendor_acked; do
    code 0 "$E" case transition $C $s --as u-coord
done
code 1 "$E" case transition $C fix_available --as u-coord       # R-20: fix time needed
code 0 "$E" case transition $C fix_available --fix-at now --as u-coord
code 0 "$E" case advisory draft $C --title "EX Router overflow" --remediation "Upgrade to 2.4.1." --fix-ref 2.4.1 --as u-coord
code 1 "$E" case advisory approve $C --as u-coord              # four eyes: its writer
code 0 "$E" case advisory approve $C --as u-coord2
code 1 "$E" case advisory approve $C --as u-coord2             # four eyes: twice
code 0 "$E" case advisory approve $C --as u-coord3
code 0 "$E" case transition $C approved --as u-coord
code 1 "$E" case advisory publish $C --channel web --check pass --as u-coord  # not filed
code 0 "$E" admin filing set --number NVDB-BA-2026-0001 --filed-at 2026-01-05T09:00:00+08:00 --channel web --channel rss --complaint https://www.nvdb.org.cn --policy https://vuln.example.cn/policy
code 1 "$E" case advisory publish $C --channel wechat --check pass --as u-coord  # R-28
code 0 "$E" case advisory publish $C --channel web --check pass --as u-coord --format json
ok grep -q '"decision": "allow"' out
code 0 "$E" case list --state published
ok grep -q "$C" out

code 0 "$E" audit verify
ok grep -q 'intact' out
# the task table is rebuilt from the sealed cases (idempotent); it needs the master key
code 0 "$E" db reindex-tasks --format json
ok grep -q '"cases": [1-9]' out
code 2 "$E" db reindex-tasks --master-key "$D/none.key"

# R-02: receipt-log entries (made at 2026-03-01T10:00:00Z) stay for 183 days
EMBARGO_NOW=2026-08-31T09:59:59Z code 0 "$E" admin receipts purge   # 183 days - 1 s
ok grep -q '^deleted 0 ' out
EMBARGO_NOW=2026-08-31T10:00:00Z code 0 "$E" admin receipts purge   # exactly 183 days
ok grep -q '^deleted 2 ' out
code 0 "$E" audit verify

# backup, then tamper with the live database; restore brings the good chain back
code 0 "$E" admin backup "$D/backup.db"
if [ -n "$PG" ]; then
    "$PSQL" -qX -v ON_ERROR_STOP=1 -d "$EMB_CLI_STORE" -c \
        "ALTER TABLE audit_events DISABLE TRIGGER USER; UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 7" ||
        fails=$((fails + 1))
else
    python3 - <<'PY'
import sqlite3
db = sqlite3.connect("var/embargo.db")
db.execute("DROP TRIGGER audit_events_no_update")
db.execute("UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 7")
db.commit()
PY
fi
code 1 "$E" audit verify
ok grep -q 'BROKEN at event 7: hash' out
code 1 "$E" audit verify --format json
ok grep -q '"bad_seq": 7' out
if [ -n "$PG" ]; then
    # never overwritten in place: the backup goes into an empty database
    code 2 "$E" admin restore "$D/backup.db"
    ok grep -q 'db copy' err
    code 0 "$E" db copy --from "sqlite:$D/backup.db" --to "$EMB_CLI_STORE2"
    ok grep -q 'audit chain intact' out
    export EMBARGO_STORE=$EMB_CLI_STORE2
else
    code 0 "$E" admin restore "$D/backup.db"
fi
code 0 "$E" audit verify

# db copy: into a new SQLite file, refused into a filled one
code 0 "$E" db copy --from "${EMBARGO_STORE:-sqlite:var/embargo.db}" --to sqlite:copy.db --witness var/audit.witness --format json
ok grep -q '"intact": true' out
ok grep -q '"cases": 2' out
code 2 "$E" db copy --from "${EMBARGO_STORE:-sqlite:var/embargo.db}" --to sqlite:copy.db
ok grep -q 'not empty' err
code 2 "$E" db copy --from sqlite:copy.db
code 2 "$E" db copy --from sqlite:copy.db --to 'mysql://x'
code 0 "$E" audit verify --store sqlite:copy.db

# rotation: contents stay readable with the new key; the old key is refused
code 0 "$E" admin rotate-master-key
ok grep -q "re-wrapped 2 case keys" out
code 0 "$E" case show EMB-2026-000001 --as u-coord --details
ok grep -q 'SECRET-TITLE-7731' out
OLD=$(ls var/master.key.old-*)
code 2 "$E" case show EMB-2026-000001 --as u-coord --master-key "$OLD"

# lost master key: recover with the recovery key shown at init
rm -f var/master.key
code 2 "$E" case show EMB-2026-000001 --as u-coord
code 2 "$E" admin recover --recovery-key embrk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
code 0 "$E" admin recover --recovery-key "$RK"
code 0 "$E" case show EMB-2026-000001 --as u-coord --details
ok grep -q 'SECRET-TITLE-7731' out
code 0 "$E" audit verify

[ "$fails" = 0 ] && echo "store cli: all passed" || echo "store cli: $fails failed"
exit $((fails > 0))
