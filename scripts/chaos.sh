#!/usr/bin/env bash
# A chaos run: starts a fresh cluster of 3 node JVMs (as bench.sh does, on ports 7701+/9081+, its
# files under run/chaos/), sends it REST load while nodes are killed, stopped, frozen, joined and the
# whole cluster crashes or stops, one fault every 6-14 s; then checks that every acknowledged task
# ended as its caller was told and that a crash of every node changes no ended task. Exits 1 if not.
# With --postgres the nodes share a throw-away PostgreSQL server (scripts/test-postgres.sh, on port
# 25433, stopped at exit) instead of a SQLite file, and database outages join the faults. With
# --splits (root; installs iptables when missing) each node's Hazelcast gets an address of its own
# and splits join the faults: one node's traffic to the others dropped for 8-15 s.
# Usage: scripts/chaos.sh [--minutes M] [--rate R] [--seed S] [--quick] [--postgres] [--splits]
#        [--faults F,...] (--help for more)
set -euo pipefail
source "$(dirname "$0")/common.sh"

build_bench_if_needed
export TASKGRID_BUILT=1
cd "$ROOT"
for arg in "$@"; do
  if [[ "$arg" == --splits ]] && ! command -v iptables > /dev/null; then
    echo "Installing iptables from Debian's packages (splits drop traffic between the nodes)..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables >&2
  fi
  if [[ "$arg" == --postgres ]]; then
    # A server of its own, apart from the one the tests may be using.
    export TASKGRID_TEST_POSTGRES_PORT="${TASKGRID_CHAOS_POSTGRES_PORT:-25433}"
    export TASKGRID_TEST_POSTGRES_DATA="${TASKGRID_CHAOS_POSTGRES_DATA:-/tmp/taskgrid-chaos-postgres}"
    eval "$(scripts/test-postgres.sh start)"
    trap 'scripts/test-postgres.sh stop' EXIT
  fi
done
# Not exec: the trap above stops the database server when the run ends.
"$JAVA" -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -Dtaskgrid.root="$ROOT" \
  -jar "$BENCH_JAR" chaos "$@"
