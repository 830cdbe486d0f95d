#!/bin/bash
# Show that the access matrix (tests/http/test_access_matrix.sh) notices the
# loss of any single access check: for each mutant below, remove or widen
# one check in a copy of the tree (never this work tree), rebuild the
# embargo binary there (dev preset, target embargo only), run the matrix
# test and expect it to FAIL. One line per mutant, "killed" or "SURVIVED";
# the exit status is non-zero when one survives, does not apply or does
# not build. Too slow for CI (a build and a server run per mutant); the
# last run is recorded in docs/design/http.md, "The access matrix".
#
#   scripts/access-mutants.sh [NAME-REGEX]     run all mutants, or those matching
#
# Each mutant is: name, file, the exact text to replace (it must occur once)
# and its replacement, separated by " @@ "; "\n" in either text is a newline.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ONLY=${1:-}
MUTANTS=$(cat <<'EOF'
table.case.transition @@ src/core/access.c @@ { EMB_AX_CASE_TRANSITION, "case.transition", C_STAFF }, @@ { EMB_AX_CASE_TRANSITION, "case.transition", C_ALL },
table.participants.add @@ src/core/access.c @@ { EMB_AX_PART_ADD, "participants.add", C_STAFF }, @@ { EMB_AX_PART_ADD, "participants.add", C_ALL },
table.participants.status @@ src/core/access.c @@ { EMB_AX_PART_STATUS_ANY, "participants.status", C_STAFF }, @@ { EMB_AX_PART_STATUS_ANY, "participants.status", C_ALL },
table.participants.status_own @@ src/core/access.c @@ C_STAFF | EMB_AC_PART_COORD | EMB_AC_PROVIDER | EMB_AC_PART_VENDOR | EMB_AC_PART_REPORTER }, @@ C_ALL },
table.messages.post @@ src/core/access.c @@ { EMB_AX_MSG_POST, "messages.post", C_STAFF | C_PARTIES }, @@ { EMB_AX_MSG_POST, "messages.post", C_ALL },
table.messages.internal @@ src/core/access.c @@ { EMB_AX_MSG_INTERNAL, "messages.internal", C_READERS_ALL }, @@ { EMB_AX_MSG_INTERNAL, "messages.internal", C_ALL },
table.attachments.upload @@ src/core/access.c @@ { EMB_AX_ATT_UPLOAD, "attachments.upload", C_STAFF | C_PARTIES }, @@ { EMB_AX_ATT_UPLOAD, "attachments.upload", C_ALL },
table.attachments.download @@ src/core/access.c @@ { EMB_AX_ATT_DOWNLOAD, "attachments.download", C_STAFF | C_PARTIES }, @@ { EMB_AX_ATT_DOWNLOAD, "attachments.download", C_ALL },
table.vulnerabilities.write @@ src/core/access.c @@ { EMB_AX_VULN_WRITE, "vulnerabilities.write", C_STAFF }, @@ { EMB_AX_VULN_WRITE, "vulnerabilities.write", C_ALL },
table.advisory.write @@ src/core/access.c @@ { EMB_AX_ADV_WRITE, "advisory.write", C_STAFF }, @@ { EMB_AX_ADV_WRITE, "advisory.write", C_ALL },
table.advisory.approve @@ src/core/access.c @@ { EMB_AX_APPROVE, "advisory.approve", C_STAFF }, @@ { EMB_AX_APPROVE, "advisory.approve", C_ALL },
table.advisory.publish @@ src/core/access.c @@ { EMB_AX_PUBLISH, "advisory.publish", C_STAFF }, @@ { EMB_AX_PUBLISH, "advisory.publish", C_ALL },
table.case.facts @@ src/core/access.c @@ { EMB_AX_FACTS, "case.facts", C_STAFF | EMB_AC_PROVIDER }, @@ { EMB_AX_FACTS, "case.facts", C_ALL },
table.case.export @@ src/core/access.c @@ { EMB_AX_EXPORT, "case.export", C_STAFF | EMB_AC_PROVIDER }, @@ { EMB_AX_EXPORT, "case.export", C_ALL },
table.tasks.list @@ src/core/access.c @@ { EMB_AX_TASK_LIST, "tasks.list", C_READERS_ALL | EMB_AC_PROVIDER }, @@ { EMB_AX_TASK_LIST, "tasks.list", C_ALL },
table.tasks.close @@ src/core/access.c @@ { EMB_AX_TASK_CLOSE, "tasks.close", C_STAFF | EMB_AC_PART_COORD | EMB_AC_PROVIDER }, @@ { EMB_AX_TASK_CLOSE, "tasks.close", C_ALL },
classes.declined-count @@ src/core/access.c @@ return p->status == EMB_PSTAT_INVITED || p->status == EMB_PSTAT_ACTIVE; @@ return p != NULL;
classes.no-class-hidden @@ src/core/access.c @@ if (classes == 0)\n        return EMB_ACCESS_HIDDEN;\n @@ 
list.sees-all @@ src/core/access.c @@ return u != NULL && (u->roles & (EMB_ROLE_COORDINATOR | EMB_ROLE_AUDITOR)) != 0; @@ return u != NULL;
gate.skipped @@ src/http/api_case.c @@ return emb_api_case_allow(rq, u, f, *id, op) ? u : NULL; @@ return u;
gate.hidden-as-403 @@ src/http/api_case.c @@ if (res == EMB_ACCESS_HIDDEN) { @@ if (0) {
gate.hidden-differs @@ src/http/api_case.c @@ emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case"); /* exactly as a missing case */ @@ emb_reply_err(rq, EMB_EC_NOT_FOUND, "case not shared with you");
gate.refusal-unaudited @@ src/http/api_case.c @@ if (emb_store_access_refused(api->st, &cx, id, emb_access_op_name(op),\n                                 res == EMB_ACCESS_HIDDEN) != EMB_OK) @@ if (0)
tasks.list-filter @@ src/http/h_task.c @@ emb_access_check(l->u, l->facts, EMB_AX_TASK_LIST) == EMB_ACCESS_ALLOW; @@ true;
tasks.close-rule @@ src/core/task.c @@ const char *no = NULL;\n @@ const char *no = NULL;\n    if (u != NULL)\n        return true;\n
messages.internal-read @@ src/http/h_message.c @@ q.internal = emb_access_decide(EMB_AX_MSG_INTERNAL, classes) == EMB_ACCESS_ALLOW; @@ q.internal = true;
messages.internal-post @@ src/http/h_message.c @@ if (ch.internal && !emb_api_case_allow(rq, u, &f, id, EMB_AX_MSG_INTERNAL)) @@ if (0)
participants.own-is-any @@ src/http/h_participant.c @@ own = emb_user_in_org(u, org.ptr); @@ own = true;
participants.own-accept-decline @@ src/http/h_participant.c @@ if (own && status != EMB_PSTAT_ACTIVE && status != EMB_PSTAT_DECLINED && @@ if (0 &&
cases.auditor-submits @@ src/http/h_case.c @@ if ((u->roles & ~(unsigned)EMB_ROLE_AUDITOR) == 0) { @@ if (0) {
admin.role @@ src/http/h_admin.c @@ if (u && !emb_api_is_admin(u)) { @@ if (0) {
admin.org-own @@ src/http/h_admin.c @@ if (!emb_api_is_admin(u) && !emb_user_in_org(u, id)) { @@ if (0) {
admin.org-list-own @@ src/http/h_admin.c @@ if (emb_api_is_admin(u)) {\n        rc = emb_store_org_list @@ if (1) {\n        rc = emb_store_org_list
admin.user-self @@ src/http/h_admin.c @@ if (!emb_api_is_admin(u) && strcmp(u->id, id) != 0) { @@ if (0) {
tokens.list-others @@ src/http/h_tokens.c @@ if (!emb_api_is_admin(u)) {\n                emb_reply_err(rq, EMB_EC_FORBIDDEN, "only administrators @@ if (0) {\n                emb_reply_err(rq, EMB_EC_FORBIDDEN, "only administrators
tokens.revoke-others @@ src/http/h_tokens.c @@ if (rc == EMB_OK && strcmp(t.user, u->id) != 0 && !emb_api_is_admin(u)) @@ if (0)
audit.auditor-role @@ src/http/h_audit.c @@ if (u->roles & EMB_ROLE_AUDITOR)\n        return true; @@ return true;
auth.csrf @@ src/http/auth.c @@ if (want == 0 || csrf.ptr == NULL ||\n            !emb_ct_equal(csrf.ptr, csrf.len, out->who.csrf, want)) { @@ if (0) {
auth.one-time-password-gate @@ src/http/h_session.c @@ if (w->session && w->acct.must_change_password && !pending_ok) { @@ if (0) {
policy.r30-cross-border @@ src/core/pack_cn_rmsv_2021.c @@ emb_decision_reason(d, r, EMB_DENY, NULL,\n                                "未公开漏洞不得提供给产品提供者之外的境外组织或者个人", @@ emb_decision_reason(d, r, EMB_ALLOW, NULL,\n                                "未公开漏洞不得提供给产品提供者之外的境外组织或者个人",
policy.exp1-public-export @@ src/core/pack_cn_rmsv_2021.c @@ emb_decision_reason(d, r, EMB_DENY, NULL,\n                            "未公开漏洞不得导出为公开格式 @@ emb_decision_reason(d, r, EMB_ALLOW, NULL,\n                            "未公开漏洞不得导出为公开格式
policy.r44-real-name @@ src/core/pack_cn_rmsv_2021.c @@ if (u->real_name_verified) { @@ if (1) {
EOF
)

W=$(mktemp -d /tmp/emb-mutants-XXXXXX)
trap 'rm -rf "$W"' EXIT
T=$W/tree
start=$(date +%s)
echo "copy of the tree: $T"
mkdir -p "$T"
(cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$T") || exit 2
(cd "$T" && cmake --preset dev >"$W/configure.log" 2>&1) || { cat "$W/configure.log"; exit 2; }
build() { nice -n 10 cmake --build "$T/build/dev" -j2 --target embargo >"$W/build.log" 2>&1; }
matrix() {
    (cd "$T" && EMBARGO="$T/build/dev/embargo" MATRIX_CACHE="$W/cache" MATRIX_FAIL_FAST=1 \
        bash tests/http/test_access_matrix.sh >"$W/test.log" 2>&1)
}
build || { tail -30 "$W/build.log"; echo "the unmutated tree does not build"; exit 2; }
matrix || { tail -30 "$W/test.log"; echo "the matrix fails on the unmutated tree"; exit 2; }
echo "unmutated: the matrix passes ($(($(date +%s) - start)) s)"

# apply FILE OLD NEW: replace the one occurrence of OLD ("\n" = newline) in FILE.
apply() {
    /usr/bin/python3 - "$T/$1" "$2" "$3" <<'PY'
import sys
path, old, new = sys.argv[1], sys.argv[2].replace("\\n", "\n"), sys.argv[3].replace("\\n", "\n")
text = open(path, encoding="utf-8").read()
if text.count(old) != 1:
    sys.exit("%d occurrences" % text.count(old))
open(path, "w", encoding="utf-8").write(text.replace(old, new))
PY
}

total=0
bad=0
while IFS= read -r line; do
    [ -n "$line" ] || continue
    name=${line%% @@ *}; rest=${line#* @@ }
    file=${rest%% @@ *}; rest=${rest#* @@ }
    old=${rest%% @@ *}; new=${rest#* @@ }
    [ "$new" = "$rest" ] && new=    # "OLD @@ " with nothing after: delete OLD
    [ -z "$ONLY" ] || [[ $name =~ $ONLY ]] || continue
    total=$((total + 1))
    t0=$(date +%s)
    cp "$ROOT/$file" "$T/$file"
    if ! why=$(apply "$file" "$old" "$new" 2>&1); then
        echo "$name: DOES NOT APPLY ($file: $why)"; bad=$((bad + 1)); continue
    fi
    if ! build; then
        echo "$name: DOES NOT BUILD"; tail -5 "$W/build.log"; bad=$((bad + 1))
    elif matrix; then
        echo "$name: SURVIVED ($(($(date +%s) - t0)) s)"; bad=$((bad + 1))
    else
        first=$(grep -m1 '^FAIL' "$W/test.log" | cut -c1-160)
        echo "$name: killed ($(($(date +%s) - t0)) s) $first"
    fi
    cp "$ROOT/$file" "$T/$file"
done <<<"$MUTANTS"
build >/dev/null 2>&1 || true
echo "$total mutants, $((total - bad)) killed, $bad not killed; $(($(date +%s) - start)) s"
[ "$bad" = 0 ]
