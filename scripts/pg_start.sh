#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the tests (Debian's postgresql package).
# Prints the SQLAlchemy URL of its test database on stdout. Installs the package when missing.
set -euo pipefail
PORT="${PG_PORT:-54329}"
DATA="${PG_DATA:-/tmp/tradeguard-pg}"
log() { echo "$@" >&2; }
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
  log "installing PostgreSQL (Debian package postgresql)"
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ -f "$DATA/postmaster.pid" ] && run "$bindir/pg_ctl -D $DATA status" >/dev/null 2>&1; then
  log "PostgreSQL already running in $DATA"
else
  rm -rf "$DATA"; mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres "$DATA"
  run "$bindir/initdb -D $DATA -A trust -U postgres" >/dev/null
  run "$bindir/pg_ctl -D $DATA -l $DATA/server.log -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -w start" >/dev/null
fi
run "$bindir/psql -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='tradeguard_test'\"" | grep -q 1 \
  || run "$bindir/createdb -h 127.0.0.1 -p $PORT -U postgres tradeguard_test"
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/tradeguard_test"
