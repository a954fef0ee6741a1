#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests of the PostgreSQL storage.
#
# Sourced (by scripts/test.sh): `source scripts/pg-test-cluster.sh` starts a
# cluster in a temporary directory on a free loopback port, exports its URL
# as KOMEK_TEST_PG, and stops and removes it when the sourcing shell exits.
# Run: `scripts/pg-test-cluster.sh cargo test -p komek-registry` runs the
# command with a cluster and removes it after.
#
# Installs Debian's postgresql package when the binaries are missing. initdb
# refuses to run as root, so as root the cluster runs as the `postgres` user
# the package creates. Durability settings are off (fsync, full pages): the
# tests kill registry nodes, never the database, and run faster without;
# KOMEK_PG_DURABLE=1 keeps them on (benches).

pg_test_cluster_start() {
    local pgbin="${KOMEK_PG_BIN:-/usr/lib/postgresql/15/bin}"
    if [ ! -x "$pgbin/initdb" ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "PostgreSQL 15 is missing ($pgbin/initdb): install Debian's postgresql package, or run as root" >&2
            return 1
        fi
        echo "== installing PostgreSQL (Debian package postgresql)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null ||
            { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } ||
            { echo "cannot install PostgreSQL" >&2; return 1; }
    fi
    local dir port as=()
    dir="$(mktemp -d "${TMPDIR:-/tmp}/komek-pg.XXXXXX")"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
        as=(runuser -u postgres --)
    fi
    # A free loopback port: nothing answers on it.
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            break
        fi
    done
    "${as[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1; }
    local durability="-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    # Benches measure a durable database: KOMEK_PG_DURABLE=1 keeps fsync.
    if [ "${KOMEK_PG_DURABLE:-0}" = 1 ]; then
        durability=""
    fi
    "${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 $durability" \
        start >/dev/null ||
        { cat "$dir/server.log" >&2; rm -rf "$dir"; return 1; }
    KOMEK_PG_CLUSTER_DIR="$dir"
    KOMEK_PG_CLUSTER_STOP=("${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop)
    export KOMEK_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
    trap pg_test_cluster_stop EXIT
    echo "== PostgreSQL test cluster on 127.0.0.1:$port ($dir)"
}

pg_test_cluster_stop() {
    if [ -n "${KOMEK_PG_CLUSTER_DIR:-}" ]; then
        "${KOMEK_PG_CLUSTER_STOP[@]}" >/dev/null 2>&1 || true
        rm -rf "$KOMEK_PG_CLUSTER_DIR"
        KOMEK_PG_CLUSTER_DIR=""
    fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    pg_test_cluster_start
    status=0
    if [ "$#" -gt 0 ]; then
        "$@" || status=$?
    fi
    exit "$status"
else
    pg_test_cluster_start
fi
