#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and the benchmark, from the
# distribution's packages: installed when missing, initdb into a temp dir,
# started on 127.0.0.1 (first free port from 54320) with its socket in that
# dir, trust authentication, one database `declx`.
#
#   tests/db/pg.sh start [OWNER_PID]   prints shell assignments to eval:
#       DECLX_PG_DIR=…  DECLX_TEST_PG=postgresql://postgres@127.0.0.1:PORT/declx
#     with OWNER_PID, a watchdog stops the server when that process ends.
#   tests/db/pg.sh stop DIR            stops it and removes DIR
set -euo pipefail

bindir() {
  local d
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

# Runs a server command as an unprivileged user (initdb refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local owner=${1:-} bin dir port
  if ! bin=$(bindir); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "pg.sh: installing postgresql from the distribution's packages" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    bin=$(bindir) || { echo "pg.sh: no PostgreSQL (initdb, pg_ctl) and cannot install it" >&2; exit 1; }
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home postgres
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/declx-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  echo "$bin" >"$dir/bin"
  for port in $(seq 54320 54420); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=50" start >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      break
    fi
  done
  [ -f "$dir/port" ] || { echo "pg.sh: the server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }
  port=$(cat "$dir/port")
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE declx" >/dev/null
  if [ -n "$owner" ]; then
    # Detached, its output nowhere: the caller's pipes close at once.
    local self
    self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
    setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; '$self' stop '$dir'" </dev/null >/dev/null 2>&1 &
  fi
  echo "DECLX_PG_DIR=$dir"
  echo "DECLX_PG_BIN=$bin"
  echo "DECLX_TEST_PG=postgresql://postgres@127.0.0.1:$port/declx"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/bin" ]; then
    as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  # Still running (a server that would not stop): its postmaster is killed.
  if [ -f "$dir/data/postmaster.pid" ]; then
    kill -9 "$(head -1 "$dir/data/postmaster.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "${1:?pg.sh stop DIR}" ;;
  *) echo "usage: $0 start [OWNER_PID] | stop DIR" >&2; exit 2 ;;
esac
