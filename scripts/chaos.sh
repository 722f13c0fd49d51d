#!/usr/bin/env bash
# A chaos run: starts a fresh cluster of 3 node JVMs (as bench.sh does, on ports 7701+/9081+, its
# files under run/chaos/), sends it REST load while nodes are killed, stopped, frozen, joined and the
# whole cluster crashes or stops, one fault every 6-14 s; then checks that every acknowledged task
# ended as its caller was told and that a crash of every node changes no ended task. Exits 1 if not.
# Usage: scripts/chaos.sh [--minutes M] [--rate R] [--seed S] [--quick] (--help for more)
set -euo pipefail
source "$(dirname "$0")/common.sh"

build_bench_if_needed
cd "$ROOT"
exec "$JAVA" -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -Dtaskgrid.root="$ROOT" \
  -jar "$BENCH_JAR" chaos "$@"
