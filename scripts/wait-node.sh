#!/usr/bin/env bash
# Waits until node <i> is ready: answers on HTTP and its partitions have settled
# (at most TASKGRID_START_TIMEOUT seconds, default 120).
set -euo pipefail
source "$(dirname "$0")/common.sh"
i="$1"
check_index "$i"
url="http://127.0.0.1:$((HTTP_BASE_PORT + i))/actuator/health/readiness"
deadline=$((SECONDS + ${TASKGRID_START_TIMEOUT:-120}))
until curl -sf "$url" > /dev/null 2>&1; do
  if ! node_alive "$i"; then
    echo "node $i died while starting; last lines of run/node-$i.log:" >&2
    tail -n 30 "$(node_log_file "$i")" >&2 || true
    exit 1
  fi
  if ((SECONDS > deadline)); then
    echo "node $i did not answer on $url in time; see run/node-$i.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "node $i is up on http://127.0.0.1:$((HTTP_BASE_PORT + i))"
