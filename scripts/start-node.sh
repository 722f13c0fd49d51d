#!/usr/bin/env bash
# Starts TaskGrid node <i>: Hazelcast on port 5700+i, HTTP on 8080+i.
# Usage: scripts/start-node.sh <i> [--background] [extra --taskgrid.x=y Spring arguments...]
# In the foreground by default (Ctrl-C drains it); with --background its pid goes to run/node-<i>.pid
# and its log is appended to run/node-<i>.log (a restart keeps what the node logged before it died).
set -euo pipefail
source "$(dirname "$0")/common.sh"

[[ $# -ge 1 ]] || { echo "usage: $0 <i> [--background] [--taskgrid.x=y ...]" >&2; exit 2; }
i="$1"; shift
check_index "$i"
background=false
if [[ "${1:-}" == "--background" || "${1:-}" == "-d" ]]; then background=true; shift; fi

build_if_needed
mkdir -p "$RUN_DIR"
if node_alive "$i"; then
  echo "node $i is already running (pid $(cat "$(node_pid_file "$i")"))" >&2
  exit 1
fi

# From the repository root, so that relative paths (data/ for the task database) land there.
cd "$ROOT"
mapfile -t launch < <(node_launch)
tmp="$(node_tmp_dir "$i")"
rm -rf "$tmp" && mkdir -p "$tmp"
args=(
  "${NODE_JVM_FLAGS[@]}" "-Djava.io.tmpdir=$tmp" ${JAVA_OPTS:-}
  "${launch[@]}"
  "--server.port=$((HTTP_BASE_PORT + i))"
  "--taskgrid.hazelcast.port=$((HZ_BASE_PORT + i))"
  "--taskgrid.hazelcast.config=${TASKGRID_HAZELCAST_CONFIG:-$ROOT/hazelcast.yaml}"
  "$@"
)
if $background; then
  nohup "$JAVA" "${args[@]}" >> "$(node_log_file "$i")" 2>&1 &
  echo $! > "$(node_pid_file "$i")"
  echo "node $i started in the background (pid $!), log: $(node_log_file "$i")"
else
  echo $$ > "$(node_pid_file "$i")"
  exec "$JAVA" "${args[@]}"
fi
