#!/usr/bin/env bash
# Starts a TaskGrid cluster of N nodes (default 3) on this machine, in the background, and waits
# until each answers on HTTP. Builds first if needed. Stop it with scripts/stop-cluster.sh.
# Usage: scripts/start-cluster.sh [N] [extra --taskgrid.x=y Spring arguments for every node...]
set -euo pipefail
source "$(dirname "$0")/common.sh"

n="${1:-3}"
[[ $# -gt 0 ]] && shift
check_index "$n"
build_if_needed

for ((i = 1; i <= n; i++)); do
  if node_alive "$i"; then
    echo "node $i is already running"
  else
    "$ROOT/scripts/start-node.sh" "$i" --background "$@"
  fi
  # One at a time: a node that joins an existing member starts faster than two founding at once.
  "$ROOT/scripts/wait-node.sh" "$i"
done

echo
echo "TaskGrid cluster of $n nodes is up:"
for ((i = 1; i <= n; i++)); do
  echo "  node $i: http://127.0.0.1:$((HTTP_BASE_PORT + i))  (hazelcast 127.0.0.1:$((HZ_BASE_PORT + i)), log run/node-$i.log)"
done
echo "Try: curl -s http://127.0.0.1:$((HTTP_BASE_PORT + 1))/api/cluster"
