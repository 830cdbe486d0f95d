# The test store's backend for the HTTP shell tests (sourced by lib.sh, and
# by the tests that keep a harness of their own). A test written once runs on
# SQLite, and on PostgreSQL when EMB_TEST_HTTP_STORE=postgresql (ctest
# registers such a test a second time as NAME@pg: tests/CMakeLists.txt, for
# the files that carry the line "# store backends: sqlite postgresql").
#
#   store_init      after $D is made: STORE (the URI), S (the CLI's store
#                   arguments), EMBARGO_STORE_URI (serve's [store] uri, which
#                   overrides the INI file); on PostgreSQL a fresh database on
#                   the server of EMB_TEST_PG_DSN (scripts/pg-test-cluster.sh)
#   store_drop      at exit: drop that database (nothing on SQLite)
#   q SQL           one query of portable SQL; rows as a|b, one per line
#   store_holds S   true if the text S is in a file of the database (after a
#                   CHECKPOINT on PostgreSQL: its files and the WAL)
#   store_pg_uri DB the URI of another database on the same server (two-node
#                   tests make their own)
#
# Without EMB_TEST_PG_DSN a PostgreSQL run exits 77 (skipped), unless
# EMB_TEST_PG_REQUIRED=1 (CI), which makes it a failure.

STORE_KIND=${EMB_TEST_HTTP_STORE:-sqlite}
PGDB=

store_psql() {
    local bin=${EMB_TEST_PG_BIN:-}
    if [ -n "$bin" ] && [ -x "$bin/psql" ]; then "$bin/psql" "$@"; else psql "$@"; fi
}

# store_pg_uri DB: EMB_TEST_PG_DSN with its database replaced by DB.
store_pg_uri() {
    local dsn=$EMB_TEST_PG_DSN base query=
    base=${dsn%%\?*}
    [ "$base" != "$dsn" ] && query="?${dsn#*\?}"
    case $base in
    postgresql://*/* | postgres://*/*) base=${base%/*} ;;
    esac
    printf '%s/%s%s\n' "$base" "$1" "$query"
}

# store_pg_admin SQL: run SQL on the server's maintenance database.
store_pg_admin() {
    store_psql "$EMB_TEST_PG_DSN" -X -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null
}

store_init() {
    case $STORE_KIND in
    sqlite)
        STORE="sqlite:$D/var/embargo.db"
        ;;
    postgresql)
        if [ -z "${EMB_TEST_PG_DSN:-}" ]; then
            if [ "${EMB_TEST_PG_REQUIRED:-}" = 1 ]; then
                echo "FAIL: EMB_TEST_PG_REQUIRED=1 but EMB_TEST_PG_DSN is not set" >&2
                exit 1
            fi
            echo "skipped: set EMB_TEST_PG_DSN (scripts/pg-test-cluster.sh)"
            exit 77
        fi
        PGDB="emb_h_$$_${RANDOM}${RANDOM}"
        store_pg_admin "CREATE DATABASE $PGDB ENCODING 'UTF8' TEMPLATE template0" ||
            { echo "FAIL: cannot create database $PGDB" >&2; exit 1; }
        STORE=$(store_pg_uri "$PGDB")
        ;;
    *)
        echo "FAIL: EMB_TEST_HTTP_STORE=$STORE_KIND: expected sqlite or postgresql" >&2
        exit 1
        ;;
    esac
    export EMBARGO_STORE_URI=$STORE
    echo "store: $STORE_KIND${PGDB:+ (database $PGDB)}"
    S=(--store "$STORE" --master-key "$D/var/master.key"
       --signing-key "$D/var/signing.key" --witness "$D/var/audit.witness")
}

store_drop() {
    [ -n "$PGDB" ] || return 0
    store_pg_admin "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" 2>/dev/null
    PGDB=
}

q() {
    if [ "$STORE_KIND" = postgresql ]; then
        store_psql "$STORE" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"
    else
        sqlite3 "$D/var/embargo.db" "$1"
    fi
}

# q_ok: can q run here (sqlite3 or psql installed)?
q_ok() {
    if [ "$STORE_KIND" = postgresql ]; then
        [ -n "${EMB_TEST_PG_BIN:-}" ] && [ -x "$EMB_TEST_PG_BIN/psql" ] || command -v psql >/dev/null
    else
        command -v sqlite3 >/dev/null
    fi
}

store_holds() {
    if [ "$STORE_KIND" = sqlite ]; then
        grep -aqF -- "$1" "$D/var/embargo.db" "$D/var/embargo.db-wal" 2>/dev/null
        return
    fi
    local data=${EMB_TEST_PG_DATA:-} oid
    if [ -z "$data" ] || [ ! -r "$data/base" ]; then
        echo "note: EMB_TEST_PG_DATA not readable: the database files are not searched" >&2
        return 1
    fi
    store_pg_admin "CHECKPOINT" || return 1
    oid=$(q "SELECT oid FROM pg_database WHERE datname = current_database()")
    grep -raqF -- "$1" "$data/base/$oid" "$data/pg_wal" 2>/dev/null
}
