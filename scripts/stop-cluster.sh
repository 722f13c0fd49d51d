#!/usr/bin/env bash
# Stops every node started from this checkout (those with a pid file in run/), one after another,
# each gracefully, so that the partitions of each leaving node move to the ones still running.
set -euo pipefail
source "$(dirname "$0")/common.sh"
shopt -s nullglob
stopped=0
for pid_file in "$RUN_DIR"/node-*.pid; do
  i="${pid_file##*/node-}"; i="${i%.pid}"
  "$ROOT/scripts/stop-node.sh" "$i"
  stopped=$((stopped + 1))
done
echo "$stopped node(s) stopped"
