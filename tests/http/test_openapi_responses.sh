#!/bin/bash
# The reply schema check itself (tests/http/openapi_responses.py), so that a
# green HTTP test means the replies were really compared: a reply log with
# one right and several wrong replies (a field value outside its schema, a
# missing required field, an undocumented path, an undocumented status, a
# media type the route does not document) must fail, naming each; the right
# replies alone must pass.
set -u
PYTHON=${PYTHON:-/usr/bin/python3}
"$PYTHON" -c 'import yaml, jsonschema' 2>/dev/null || { echo "skipped: python3-yaml/jsonschema missing"; exit 77; }
T=$(mktemp -d /tmp/emb-oar-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
CHECK=tests/http/openapi_responses.py
SPEC=docs/openapi.yaml
json_head() { printf 'HTTP/1.1 %s X\r\nContent-Type: application/json\r\n\r\n' "$1"; }

# reply DIR N METHOD PATH STATUS BODY [CONTENT_TYPE]
reply() {
    printf '%s\t%s\t%s\t%s\n' "$2" "$3" "$4" "$5" >>"$1/index.tsv"
    printf '%s' "$6" >"$1/$2.body"
    if [ -n "${7-}" ]; then printf 'HTTP/1.1 %s X\r\nContent-Type: %s\r\n\r\n' "$5" "$7" >"$1/$2.head"
    else json_head "$5" >"$1/$2.head"; fi
}
ERR='{"code":1001,"name":"NOT_FOUND","hint":"No resource at this path.","detail":"","request_id":"0123456789abcdef"}'

mkdir "$T/good" "$T/bad"
reply "$T/good" 1 GET /healthz 200 '{"status":"ok","version":"0.1.0"}'
reply "$T/good" 2 GET /no/such/path 404 "$ERR"
reply "$T/good" 3 GET /metrics 200 'embargo_requests_total 1' 'text/plain; version=0.0.4'
"$PYTHON" "$CHECK" "$SPEC" "$T/good" >"$T/good.out" 2>&1 || { fail "right replies refused"; cat "$T/good.out" >&2; }

reply "$T/bad" 1 GET /healthz 200 '{"status":"bad","version":"0.1.0"}'
reply "$T/bad" 2 GET /healthz 200 '{"status":"ok"}'
reply "$T/bad" 3 GET /no/such/path 200 "$ERR"
reply "$T/bad" 4 GET /healthz 418 '{}'
reply "$T/bad" 5 GET /metrics 200 '<html></html>' 'text/html'
reply "$T/bad" 6 GET /healthz 200 'not json'
if "$PYTHON" "$CHECK" "$SPEC" "$T/bad" >"$T/bad.out" 2>&1; then
    fail "wrong replies accepted"
fi
for want in "#1 GET /healthz -> 200: at /status" "#2 GET /healthz -> 200: at /: 'version' is a required" \
            "#3 GET /no/such/path -> 200: no documented path" "#4 GET /healthz -> 418: status 418 is not documented" \
            "#5 GET /metrics -> 200: media type 'text/html'" "#6 GET /healthz -> 200: body is not JSON"; do
    grep -qF -- "$want" "$T/bad.out" || { fail "not reported: $want"; cat "$T/bad.out" >&2; }
done
[ "$fails" = 0 ] && echo "all passed" || { echo "$fails failed"; exit 1; }
