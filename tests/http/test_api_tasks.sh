#!/bin/bash
# Tasks, the scheduler and the audit log over HTTP, against a real `embargo
# serve` on 127.0.0.1:0 with a store made by `embargo admin init` and a
# scheduler round every second:
#  - a case of a tenant provider (org-vendor has a user) aware since 49 h gets
#    its NVDB task at receipt; the live scheduler records the three alerts and
#    the escalation, visible through GET /api/v1/tasks (overdue) and in the
#    chain as one "task.fire" event by "system"; /metrics counts them;
#  - visibility: a foreign vendor sees none of it (list) and gets 404 (case);
#  - closing: the provider's member closes its NVDB report, not twice (409),
#    not an escalation (403); an auditor (reads, never acts) gets 403;
#    unknown numbers 404;
#  - paging of tasks and of audit events at the limit and limit + 1, the page
#    size at 200 and 201, and every malformed query parameter gives 400;
#  - audit events and checkpoints for auditors only (403 otherwise), and the
#    auditor's read is itself in the chain;
#  - every 2xx and 4xx body of these routes validates against its schema in
#    docs/openapi.yaml; SIGTERM stops server and scheduler cleanly (exit 0)
#    and `embargo audit verify` passes afterwards.
# store backends: sqlite postgresql
set -u
. "$(dirname "$0")/lib.sh"
http_init tasks

adm admin init
adm admin org add --id org-vendor --kind product_provider --jurisdiction CN --name Vendor
adm admin org add --id org-finder --kind reporter_team --jurisdiction CN --name Finder
adm admin org add --id org-platform --kind coordinator --jurisdiction CN --name Platform
adm admin org add --id org-other --kind product_provider --jurisdiction US --name Other
adm admin user add --id u-coord --role coordinator --org org-platform --verified
adm admin user add --id u-vendor --role vendor_member --org org-vendor --verified
adm admin user add --id u-other --role vendor_member --org org-other --verified
adm admin user add --id u-audit --role auditor --org org-platform --verified
adm admin token add --user u-coord; TC=$(cat adm.out)
adm admin token add --user u-vendor; TV=$(cat adm.out)
adm admin token add --user u-other; TO=$(cat adm.out)
adm admin token add --user u-audit; TA=$(cat adm.out)

printf '[http]\nlog_requests = no\n[scheduler]\ninterval = 1\n' >serve.ini
serve_start -c serve.ini

# items in the reply: tasks have a "kind" key, events and checkpoints a "seq" key (the same
# words inside the stored details text are escaped, \"kind\", and do not match)
count() { grep -o '"kind":\|"seq":' "$D/r" | wc -l; }
cursor() { sed -n 's/.*"next_cursor":"\([^"]*\)".*/\1/p' "$D/r"; }

AWARE=$(date -u -d '-49 hours' +%Y-%m-%dT%H:%M:%SZ)
CASE="{\"type\": \"product\", \"provider_org\": \"org-vendor\", \"submitter_org\": \"org-finder\",
 \"aware_at\": \"$AWARE\"}"
req 201 POST /api/v1/cases "$TC" "$CASE"
ID=$(sed -n 's/.*"id":"\(EMB-[0-9]*-[0-9]*\)".*/\1/p' r)
# sharing with the vendor goes through its own route (R-30 decides), as a coordinator does it
req 201 POST "/api/v1/cases/$ID/participants" "$TC" '{"org": "org-vendor", "role": "vendor"}'
T=/api/v1/cases/{id}/tasks

# The NVDB task exists from receipt (R-07), overdue: aware_at + 48 h has passed.
req 200 GET "/api/v1/cases/$ID/tasks" "$TC"
has '"n":1,"kind":"nvdb_report","rule":"R-07"'
has '"overdue":true'

# The live scheduler records the alerts (0, 24, 36 h) and the escalation within a round or two
# (up to 30 s allowed: the CI machine is shared).
for _ in $(seq 150); do
    curl -s -H "Authorization: Bearer $TC" "$URL/api/v1/tasks?case=$ID&kind=escalate" | grep -q '"kind":"escalate"' && break
    sleep 0.2
done
req 200 GET "/api/v1/tasks?case=$ID&kind=escalate" "$TC"
has '"kind":"escalate","rule":"R-07"'
req 200 GET "/api/v1/tasks?overdue=true" "$TC"
[ "$(count)" = 5 ] || fail "overdue tasks: $(count), expected 5 (report, 3 alerts, escalation)"
req 200 GET "/api/v1/tasks?overdue=false" "$TC"
[ "$(count)" = 0 ] || fail "tasks not overdue: $(count), expected 0"
req 200 GET "/api/v1/tasks?kind=alert" "$TC"
[ "$(count)" = 3 ] || fail "alerts: $(count), expected 3"
req 200 GET "/api/v1/tasks?due_before=$AWARE" "$TC"
[ "$(count)" = 0 ] || fail "due before awareness: $(count), expected 0"
req 200 GET "/api/v1/tasks?due_before=2999-01-01T00:00:00Z" "$TC"
[ "$(count)" = 5 ] || fail "due before 2999: $(count), expected 5"
sleep 1.2 # another round: nothing is recorded twice
req 200 GET "/api/v1/cases/$ID/tasks" "$TC"
[ "$(count)" = 5 ] || fail "tasks after more rounds: $(count), expected 5"
# visibility: the provider's member sees them, a foreign vendor neither lists nor reads them
req 200 GET "/api/v1/tasks" "$TV"
[ "$(count)" = 5 ] || fail "tasks seen by the provider: $(count), expected 5"
req 200 GET "/api/v1/tasks" "$TO"
[ "$(count)" = 0 ] || fail "tasks seen by a foreign vendor: $(count), expected 0"
req 404 GET "/api/v1/cases/$ID/tasks" "$TO"
has '"name":"NOT_FOUND"'
req 401 GET "/api/v1/tasks" ""

# Paging at the limit and limit + 1: 5 open tasks.
req 200 GET "/api/v1/tasks?limit=5" "$TC"
[ "$(count)" = 5 ] && [ -z "$(cursor)" ] || fail "limit 5 of 5: $(count) items, cursor '$(cursor)'"
req 200 GET "/api/v1/tasks?limit=4" "$TC"
C1=$(cursor)
[ "$(count)" = 4 ] && [ -n "$C1" ] || fail "limit 4 of 5: $(count) items, cursor '$C1'"
req 200 GET "/api/v1/tasks?limit=4&cursor=$C1" "$TC"
[ "$(count)" = 1 ] && [ -z "$(cursor)" ] || fail "second page: $(count) items, cursor '$(cursor)'"
seen=""
cur=""
for i in 1 2 3 4 5 6; do
    req 200 GET "/api/v1/tasks?limit=1${cur:+&cursor=$cur}" "$TC"
    seen="$seen $(sed -n 's/.*"n":\([0-9]*\),.*/\1/p' r)"
    cur=$(cursor)
    [ -z "$cur" ] && break
done
[ "$(echo $seen | tr ' ' '\n' | sort -n | tr '\n' ' ')" = "1 2 3 4 5 " ] || fail "pages of 1: $seen"
req 200 GET "/api/v1/tasks?limit=200" "$TC"
req 400 GET "/api/v1/tasks?limit=201" "$TC"
# Malformed query parameters: 400 QUERY_INVALID naming the parameter.
for q in overdue=maybe overdue= due_before=yesterday due_before=2026-02-30T00:00:00Z kind=nope \
         case=EMB-1 case=x cursor=zzz cursor=1_EMB-2026-000001 cursor=1_EMB-2026-000001_0 \
         cursor=0_EMB-2026-000001_1 cursor=1_EMB-2026-000001_1_1 limit=0 limit=x colour=red \
         'kind=alert&kind=alert' 'case=%ZZ'; do
    req 400 GET "/api/v1/tasks?$q" "$TC"
    has '"name":"QUERY_INVALID"'
done
req 400 GET "/api/v1/cases/$ID/tasks?x=1" "$TC"
req 400 GET "/api/v1/cases/not-a-case/tasks" "$TC"

# Closing tasks.
D1=/api/v1/cases/{id}/tasks/{n}/done
req 200 POST "/api/v1/cases/$ID/tasks/1/done" "$TV"
has '"done":true'
has '"done_by":"u-vendor"'
req 409 POST "/api/v1/cases/$ID/tasks/1/done" "$TC"
has '"name":"TASK_DONE"'
has 'by u-vendor'
req 403 POST "/api/v1/cases/$ID/tasks/5/done" "$TV"
has '"name":"TASK_CLOSE_DENIED"'
req 403 POST "/api/v1/cases/$ID/tasks/2/done" "$TA" # auditors read, never act (tasks.close)
has '"name":"FORBIDDEN"'
req 404 POST "/api/v1/cases/$ID/tasks/2/done" "$TO"
has '"name":"NOT_FOUND"'
req 404 POST "/api/v1/cases/$ID/tasks/99/done" "$TC"
has '"name":"TASK_NOT_FOUND"'
req 400 POST "/api/v1/cases/$ID/tasks/0/done" "$TC"
req 400 POST "/api/v1/cases/$ID/tasks/x/done" "$TC"
req 400 POST "/api/v1/cases/$ID/tasks/99999999999/done" "$TC"
req 400 POST "/api/v1/cases/$ID/tasks/5/done" "$TC" '{"note": "x"}'
has '"name":"JSON_FIELD"'
req 200 POST "/api/v1/cases/$ID/tasks/5/done" "$TC" '{}'
has '"done_by":"u-coord"'
req 200 GET "/api/v1/tasks?case=$ID" "$TC"
[ "$(count)" = 3 ] || fail "open tasks after two closes: $(count), expected 3"
req 200 GET "/api/v1/cases/$ID/tasks" "$TC"
[ "$(count)" = 5 ] || fail "all tasks after two closes: $(count), expected 5"
# The report is made: later rounds record no new escalation.
sleep 1.2
req 200 GET "/api/v1/cases/$ID/tasks" "$TC"
[ "$(count)" = 5 ] || fail "tasks after the report: $(count), expected 5"

# The audit log: auditors only; the scheduler's firing is one event by "system".
A=/api/v1/audit/events
req 403 GET "$A" "$TC"
has '"name":"FORBIDDEN"'
req 403 GET /api/v1/audit/checkpoints "$TV"
req 401 GET "$A" ""
req 200 GET "$A?object=$(head -c 128 /dev/zero | tr '\0' o)" "$TA" # at the limit
[ "$(count)" = 0 ] || fail "object at 128 bytes: $(count)"
req 200 GET "$A?object=$ID&action=task.fire" "$TA"
[ "$(count)" = 1 ] || fail "task.fire events: $(count), expected 1"
has '"actor":"system"'
has '"decision":1'
req 200 GET "$A?object=$ID&action=task.done" "$TA"
[ "$(count)" = 3 ] || fail "task.done events: $(count), expected 3 (2 closes, 1 refusal)"
# paging at the limit and limit + 1: the audited reads of the case (an auditor's read of the
# events adds an audit.read event with this object, so the filter names the action too)
for _ in 1 2 3 4 5; do req 200 GET "/api/v1/cases/$ID" "$TC"; done # five audited reads
F="object=$ID&action=case.read"
req 200 GET "$A?$F&limit=200" "$TA"
N=$(count)
[ "$N" -ge 5 ] || fail "reads of the case: $N"
req 200 GET "$A?$F&limit=$N" "$TA"
[ "$(count)" = "$N" ] && [ -z "$(cursor)" ] || fail "limit N of N: $(count), cursor '$(cursor)'"
req 200 GET "$A?$F&limit=$((N - 1))" "$TA"
C1=$(cursor)
[ "$(count)" = $((N - 1)) ] && [ -n "$C1" ] || fail "limit N-1 of N: $(count), cursor '$C1'"
req 200 GET "$A?$F&limit=$((N - 1))&cursor=$C1" "$TA"
[ "$(count)" = 1 ] && [ -z "$(cursor)" ] || fail "the last event: $(count), cursor '$(cursor)'"
req 200 GET "$A?limit=2" "$TA"
has '"seq":1,'
has '"seq":2,'
req 200 GET "$A?limit=2&cursor=$(cursor)" "$TA"
has '"seq":3,'
req 200 GET "$A?actor=system&since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z" "$TA"
hasnt '"actor":"user:'
req 200 GET "$A?since=2999-01-01T00:00:00Z" "$TA"
[ "$(count)" = 0 ] || fail "events after 2999: $(count)"
req 400 GET "$A?limit=201" "$TA"
LONG=$(head -c 129 /dev/zero | tr '\0' o)
for q in cursor=abc cursor=-1 cursor=0 since=never until=2026-13-01T00:00:00Z \
         'since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z' object= "object=$LONG" \
         'object=EMB%0A' 'actor=a%7Fb' \
         limit=0 verb=x; do
    req 400 GET "$A?$q" "$TA"
    has '"name":"QUERY_INVALID"'
done
req 200 GET /api/v1/audit/checkpoints "$TA"
[ "$(count)" -ge 1 ] || fail "no checkpoint"
req 400 GET "/api/v1/audit/checkpoints?cursor=x" "$TA"
# The auditor's reads are in the chain.
req 200 GET "$A?actor=user:u-audit&action=audit.read&limit=200" "$TA"
[ "$(count)" -ge 10 ] || fail "audited auditor reads: $(count)"
has "\"object\":\"$ID\""

curl -s "$URL/metrics" >metrics
grep -q '^embargo_scheduler_leader 1$' metrics || fail "metrics: not the leader"
grep -q '^embargo_scheduler_tasks_recorded_total [4-9]' metrics || fail "metrics: tasks recorded"
grep -q '^embargo_scheduler_rounds_total{led="yes"} [1-9]' metrics || fail "metrics: rounds"

serve_stop
grep -q 'scheduler: stopped' serve.err || fail "the scheduler did not report its stop"
"$E" audit verify "${S[@]}" >v.out 2>&1 || { fail "audit verify"; cat v.out >&2; }

http_finish
