#!/bin/sh
# A throwaway PostgreSQL cluster for the tests: initdb in a fresh temporary
# folder, listening only on 127.0.0.1 (a free port) and on a Unix socket in
# that folder, password authentication (scram-sha-256) for a generated
# superuser whose password sits in a 0600 passfile beside it.
#
#   eval "$(scripts/pg-test-cluster.sh start)"   start; prints the export lines
#   scripts/pg-test-cluster.sh stop "$EMB_TEST_PG_DIR"   stop and delete it
#   scripts/pg-test-cluster.sh restart "$EMB_TEST_PG_DIR" restart it (fast: sessions
#                     are terminated), same port and data (tests/http/test_pg_restart.sh)
#
# The exported variables are what the store tests read:
#   EMB_TEST_PG_DSN   postgresql://emb_test@127.0.0.1:PORT/postgres?passfile=...
#                     (a role that may CREATE DATABASE: each test makes its own)
#   EMB_TEST_PG_DATA  the data directory (test_secrets scans it for plaintext)
#   EMB_TEST_PG_BIN   the server's bin folder (pg_dump of the same version)
#   EMB_TEST_PG_DIR   the folder to give to `stop`
#
# root cannot run postgres: as root, the cluster is owned and run by the
# user `postgres` (created by Debian's postgresql package), else `nobody`.
# Settings are for tests only: fsync=off (the tests kill clients, never the
# machine), at most 200 connections, no TLS (loopback only).
set -eu

usage() {
    echo "usage: pg-test-cluster.sh start | stop DIR | restart DIR" >&2
    exit 2
}

bindir() {
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir)
        [ -x "$d/initdb" ] && echo "$d" && return 0
    fi
    echo "pg-test-cluster: no PostgreSQL server found (apt-get install postgresql)" >&2
    return 1
}

# Run a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    bin=$(bindir)
    owner=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
        if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
    fi
    dir=$(mktemp -d /tmp/emb-pg-XXXXXX)
    chmod 0711 "$dir" # the owner traverses it; nothing in it is listable by others
    data="$dir/data"
    pw=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    umask 077
    printf '%s\n' "$pw" >"$dir/pwfile"
    mkdir "$data" "$dir/sock" "$dir/log"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$owner" "$dir/pwfile" "$data" "$dir/sock" "$dir/log"
    fi
    as_owner "$bin/initdb" -D "$data" -U emb_test --pwfile="$dir/pwfile" --auth=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/log/initdb.log" 2>&1 || {
        cat "$dir/log/initdb.log" >&2
        rm -rf "$dir"
        exit 1
    }
    rm -f "$dir/pwfile"
    echo "include = 'emb-test.conf'" >>"$data/postgresql.conf"
    tries=0
    while :; do
        port=$(free_port)
        as_owner sh -c "cat >'$data/emb-test.conf'" <<EOF
# written by scripts/pg-test-cluster.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
max_connections = 200
shared_buffers = 32MB
fsync = off
log_min_messages = warning
EOF
        if as_owner "$bin/pg_ctl" -D "$data" -l "$dir/log/server.log" -w -t 60 start >/dev/null; then
            break
        fi
        tries=$((tries + 1))
        if [ $tries -ge 5 ]; then
            cat "$dir/log/server.log" >&2
            rm -rf "$dir"
            exit 1
        fi
    done
    # The passfile is the test client's (root's or the caller's), mode 0600; any port,
    # because test_pg.c puts a proxy of its own in front of the server.
    printf '127.0.0.1:*:*:emb_test:%s\n%s:*:*:emb_test:%s\n' "$pw" "$dir/sock" \
        "$pw" >"$dir/pgpass"
    chmod 0600 "$dir/pgpass"
    echo "export EMB_TEST_PG_DSN='postgresql://emb_test@127.0.0.1:$port/postgres?sslmode=disable&passfile=$dir/pgpass'"
    echo "export EMB_TEST_PG_DATA='$data'"
    echo "export EMB_TEST_PG_BIN='$bin'"
    echo "export EMB_TEST_PG_DIR='$dir'"
}

stop() {
    dir=${1:-}
    case "$dir" in
    /tmp/emb-pg-*) ;;
    *) usage ;;
    esac
    [ -d "$dir/data" ] || exit 0
    bin=$(bindir)
    owner=$(stat -c %U "$dir/data")
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

restart() {
    dir=${1:-}
    case "$dir" in
    /tmp/emb-pg-*) ;;
    *) usage ;;
    esac
    bin=$(bindir)
    owner=$(stat -c %U "$dir/data")
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log/server.log" -m fast -w -t 60 restart >/dev/null
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
restart) restart "${2:-}" ;;
*) usage ;;
esac
