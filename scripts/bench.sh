#!/usr/bin/env bash
# Runs the TaskGrid benchmark: starts fresh clusters of node JVMs (as start-cluster.sh does, on
# ports of their own: 7701+/9081+) and of plain Hazelcast members for the baselines, runs the
# workloads, stops them, and writes bench/results/<date>/report.md, report.json and PNG plots.
# Usage: scripts/bench.sh [--quick] [--nodes N] [--workloads a,b] [--out DIR] (--help for more)
set -euo pipefail
source "$(dirname "$0")/common.sh"

build_bench_if_needed
export TASKGRID_BUILT=1

# The baselines' JVM flags: the node flags without -Xmx (the benchmark sets the heap) and with the JVM's
# default JIT (C2), with which the Hazelcast executors ran fastest here (Durable 2,736 vs 1,868/s with C1 only).
export TASKGRID_JVM_FLAGS="${JVM_FLAGS[*]:1}"
# The node JVMs' flags, for the report's machine table; without the heap, which --heap sets.
node_flags=()
for flag in "${NODE_JVM_FLAGS[@]}" ${JAVA_OPTS:-}; do [[ "$flag" == -Xm[sx]* ]] || node_flags+=("$flag"); done
cd "$ROOT"
exec "$JAVA" -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -Djava.awt.headless=true \
  -Dtaskgrid.root="$ROOT" -Dtaskgrid.bench.command="${JAVA_HOME:+JAVA_HOME=$JAVA_HOME }scripts/bench.sh $*" \
  -Dtaskgrid.bench.nodeFlags="${node_flags[*]}" \
  -jar "$BENCH_JAR" "$@"
