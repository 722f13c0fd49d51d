#!/usr/bin/env bash
# Stops node <i> gracefully (SIGTERM): it stops claiming, lets running tasks finish within
# taskgrid.drain-timeout (30 s), hands the rest back without counting an attempt, and leaves the
# cluster with Hazelcast's graceful shutdown. Waits until the process has exited.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[[ $# -ge 1 ]] || { echo "usage: $0 <i>" >&2; exit 2; }
i="$1"
check_index "$i"
pid_file="$(node_pid_file "$i")"
if ! node_alive "$i"; then
  echo "node $i is not running"
  rm -f "$pid_file"
  exit 0
fi
pid="$(cat "$pid_file")"
kill -TERM "$pid"
deadline=$((SECONDS + ${TASKGRID_STOP_TIMEOUT:-120}))
while pid_alive "$pid"; do
  if ((SECONDS > deadline)); then
    echo "node $i (pid $pid) did not stop in time; killing it" >&2
    kill -KILL "$pid" || true
    break
  fi
  sleep 0.2
done
rm -f "$pid_file"
echo "node $i stopped"
