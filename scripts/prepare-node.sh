#!/usr/bin/env bash
# Prepares the built node jar to start fast (see prepare_node in common.sh): extracts it next to
# itself and trains its class-data-sharing archive, unless both are already there for this jar and
# JVM. The scripts that start nodes do this themselves; Maven calls it before the node-JVM tests.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[[ -f "$JAR" ]] || { echo "no $JAR; build first (mvn package)" >&2; exit 1; }
prepare_node
