#!/bin/bash
# The access-control matrix, end to end over HTTP: every row of the
# hand-written table tests/http/access-matrix.tsv (route x request variant x
# actor x case, with the expected outcome) is sent to one real `embargo
# serve` on 127.0.0.1:0, and every difference is reported with its row.
#
# The table is written from the stated rules (docs/design/http.md "Access
# control", "Identity", docs/design/scheduler.md, ../shared/REGULATION.md
# R-27, R-30, R-31, R-44, issue 4), not from the code; docs/design/http.md
# says how to read it. The driver (access_matrix.py) also checks:
#  - every route of serve_routes[] (src/daemon/serve.c) has rows, for every
#    actor, and case routes for both cases (undisclosed and disclosed);
#  - every refusal by the case access gate (hidden, forbidden) is in the
#    audit chain as a case.access event with the reply's request id;
#  - a hidden case is answered exactly as a missing one, without a byte of
#    its content (the markers planted in the fixture);
#  - every reply matches its schema in docs/openapi.yaml (http_finish).
# scripts/access-mutants.sh shows that removing any single access check
# from the code makes this test fail.
# store backends: sqlite postgresql
set -u
. "$(dirname "$0")/lib.sh"
http_init matrix
START=$(date +%s%N)

# The store: organisations, users and their API tokens, made by the CLI.
make_store() {
    adm admin init
    adm admin filing set --number NVDB-BA-2026-0001 --filed-at 2026-01-05T09:00:00+08:00 \
        --channel web --channel mirror --complaint https://www.nvdb.org.cn --policy https://vuln.example.cn/policy
    # Organisations: id kind jurisdiction. Participants of both cases: org-cert
    # (coordinator role), org-vus (the provider, foreign: R-30's exception),
    # org-vcn (downstream vendor), org-rcn (reporter), org-vdecl (declined);
    # the submitter is a member of org-rus. The rest take no part.
    while read -r id kind jur; do
        adm admin org add --id "$id" --kind "$kind" --jurisdiction "$jur" --name "Org $id"
    done <<'EOF'
org-staff coordinator CN
org-audit coordinator CN
org-cert coordinator CN
org-vus product_provider US
org-vcn product_provider CN
org-vus2 product_provider US
org-vcn2 product_provider CN
org-vdecl product_provider CN
org-rus reporter_team US
org-rcn reporter_team CN
org-rus2 reporter_team US
org-rcn2 reporter_team CN
org-xcn product_provider CN
org-xus product_provider US
EOF
    # Users: id role org verified. Actors first (access_matrix.py names them by
    # the part after "u-"), then the setup users the table never uses as actors.
    USERS='u-coord coordinator org-staff 1
    u-coord_m coordinator org-cert 1
    u-aud auditor org-audit 1
    u-aud_m auditor org-cert 1
    u-adm admin org-staff 1
    u-adm_m admin org-cert 1
    u-vend_cn_m vendor_member org-vcn 1
    u-vend_us_m vendor_member org-vus 1
    u-vend_cn_n vendor_member org-vcn2 1
    u-vend_us_n vendor_member org-vus2 1
    u-vend_decl vendor_member org-vdecl 1
    u-rep_cn_m reporter org-rcn 1
    u-rep_us_m reporter org-rus 1
    u-rep_cn_n reporter org-rcn2 1
    u-rep_us_n reporter org-rus2 1
    u-rep_unv reporter org-rcn2 0
    u-ck coordinator org-staff 1
    u-pend coordinator org-staff 1
    u-s1 coordinator org-staff 1
    u-s2 coordinator org-staff 1
    u-s3 coordinator org-staff 1
    u-target reporter org-rcn2 1
    u-login reporter org-rcn2 1'
    # argon2id makes each user cost about 0.4 s: two at a time. Each user's
    # one-time password and API token go to $D/users/ID.out and ID.tok.
    mkdir -p "$D/users"
    mkuser() {
        local v=
        [ "$4" = 1 ] && v=--verified
        "$E" admin user add --id "$1" --role "$2" --org "$3" $v "${S[@]}" >"$D/users/$1.out" 2>&1 &&
            "$E" admin token add --user "$1" "${S[@]}" >"$D/users/$1.tok" 2>&1
    }
    n=0
    while read -r id role org v; do
        mkuser "$id" "$role" "$org" "$v" &
        n=$((n + 1))
        [ $((n % 2)) = 0 ] && wait
    done <<<"$USERS"
    wait
    while read -r id _; do
        grep -q '^emb_' "$D/users/$id.tok" 2>/dev/null || { fail "setup: user $id"; cat "$D/users/$id."* >&2; }
    done <<<"$USERS"
}

# MATRIX_CACHE=DIR (scripts/access-mutants.sh): the store made once, then copied.
if [ "$STORE_KIND" = sqlite ] && [ -n "${MATRIX_CACHE:-}" ] && [ -d "$MATRIX_CACHE/var" ]; then
    cp -a "$MATRIX_CACHE/var" "$MATRIX_CACHE/users" "$D/"
else
    make_store
    if [ "$STORE_KIND" = sqlite ] && [ -n "${MATRIX_CACHE:-}" ] && [ "$fails" = 0 ]; then
        mkdir -p "$MATRIX_CACHE" && cp -a "$D/var" "$D/users" "$MATRIX_CACHE/"
    fi
fi

# High login limits: the table logs in and changes passwords many times.
printf '[http]\nlog_requests = no\n[login]\nname_burst = 1000\nip_burst = 1000\n' >serve.ini
serve_start -c serve.ini
SETUP=$(date +%s%N)

"$PYTHON" "$HTTP_LIB_DIR/access_matrix.py" --url "$URL" --users "$D/users" \
    --table "$HTTP_LIB_DIR/access-matrix.tsv" --routes "$HTTP_ROOT/src/daemon/serve.c" \
    --replies "$D/replies" ${MATRIX_FAIL_FAST:+--fail-fast} || fail "access matrix"
NREQ=$(wc -l <"$D/replies/index.tsv")
if [ -n "${MATRIX_FAIL_FAST:-}" ] && [ "$fails" != 0 ]; then
    serve_stop
    echo "$fails failed"
    exit 1
fi

serve_stop
"$E" audit verify "${S[@]}" >"$D/verify.out" 2>&1 || { fail "audit verify"; cat "$D/verify.out" >&2; }
ms() { echo $((($2 - $1) / 1000000)); }
echo "time: setup $(ms "$START" "$SETUP") ms, table and checks $(ms "$SETUP" "$(date +%s%N)") ms"
http_finish
