#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests (Debian's postgresql package), on
# 127.0.0.1:${TASKGRID_TEST_POSTGRES_PORT:-25432}, and prints the environment the tests read:
#   eval "$(scripts/test-postgres.sh start)"   ...   scripts/test-postgres.sh stop
# ('stop' then 'resume' takes the same server away and brings it back, for outage tests.)
# Runs the server as the 'postgres' user (PostgreSQL refuses to run as root). Installs the package
# with apt-get when it is missing and this is root.
set -euo pipefail
# Below Linux's ephemeral range (32768-60999): a port in it can be held for a moment by any
# outgoing connection on the machine, and then the server cannot listen (seen once, 55432).
port="${TASKGRID_TEST_POSTGRES_PORT:-25432}"
data="${TASKGRID_TEST_POSTGRES_DATA:-/tmp/taskgrid-test-postgres}"

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [[ "$(id -un)" == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

case "${1:-}" in
  start)
    if [[ -z "$(pg_bin)" ]]; then
      echo "Installing PostgreSQL from Debian's packages..." >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    bin="$(pg_bin)"
    rm -rf "$data"
    mkdir -p "$data"
    chown postgres "$data"
    # Passwords are checked over TCP (so that a wrong one is refused); the local socket is for setup.
    as_postgres "$bin/initdb" -D "$data" --auth-local=trust --auth-host=scram-sha-256 -U postgres > /dev/null
    as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
    # The database sorts text as en-US does (ICU), as production databases often do, and not byte by
    # byte: queries that page in id order must say their own collation (docs/design.md, "Listing").
    as_postgres "$bin/psql" -h "$data" -p "$port" -U postgres -q \
      -c "CREATE USER taskgrid PASSWORD 'taskgrid'" \
      -c "CREATE DATABASE taskgrid OWNER taskgrid TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'" >&2
    echo "export TASKGRID_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/taskgrid"
    echo "export TASKGRID_TEST_POSTGRES_USER=taskgrid"
    echo "export TASKGRID_TEST_POSTGRES_PASSWORD=taskgrid"
    ;;
  stop)
    bin="$(pg_bin)"
    [[ -n "$bin" && -d "$data" ]] && as_postgres "$bin/pg_ctl" -D "$data" -m fast stop >&2 || true
    ;;
  resume)
    # Starts the server stopped by 'stop' again, with its data (tests of a database outage).
    as_postgres "$(pg_bin)/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
    ;;
  *)
    echo "usage: $0 start|stop|resume" >&2
    exit 2
    ;;
esac
