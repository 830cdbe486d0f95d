#!/bin/bash
# test_cli.sh on PostgreSQL: two fresh databases on the server of
# EMB_TEST_PG_DSN (the store, and the one the backup is restored into with
# db copy), dropped at the end. Skipped (77) without EMB_TEST_PG_DSN, a
# failure with EMB_TEST_PG_REQUIRED=1 (CI).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${EMB_TEST_PG_DSN:-}" ]; then
    if [ "${EMB_TEST_PG_REQUIRED:-}" = 1 ]; then
        echo "EMB_TEST_PG_REQUIRED=1 but EMB_TEST_PG_DSN is not set" >&2
        exit 1
    fi
    echo "skipped: set EMB_TEST_PG_DSN (scripts/pg-test-cluster.sh)"
    exit 77
fi
PSQL=${EMB_TEST_PG_BIN:-/usr/bin}/psql
suffix="$$_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
db1="emb_cli_a_$suffix"
db2="emb_cli_b_$suffix"
# The DSN with another database name (the path of the URI).
uri_of() {
    python3 -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$EMB_TEST_PG_DSN" "$1"
}
cleanup() {
    for db in "$db1" "$db2"; do
        "$PSQL" -qX -d "$EMB_TEST_PG_DSN" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
    done
}
trap cleanup EXIT
for db in "$db1" "$db2"; do
    "$PSQL" -qX -v ON_ERROR_STOP=1 -d "$EMB_TEST_PG_DSN" \
        -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0" || exit 1
done
EMB_CLI_STORE=$(uri_of "$db1") EMB_CLI_STORE2=$(uri_of "$db2") bash "$here/test_cli.sh"
