# Shared by the scripts: paths, JVM flags, and building the node jar when it is missing or stale.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/grid-node/target/grid-node-0.1.0-SNAPSHOT.jar"
RUN_DIR="${TASKGRID_RUN_DIR:-$ROOT/run}"
# Node i listens for Hazelcast on HZ_BASE_PORT+i and for HTTP on HTTP_BASE_PORT+i.
HZ_BASE_PORT="${TASKGRID_HZ_BASE_PORT:-5700}"
HTTP_BASE_PORT="${TASKGRID_HTTP_BASE_PORT:-8080}"
# The java that runs the nodes and the benchmark: $JAVA_HOME's when it is set (as Maven does), else the
# one on the PATH. Any JDK from 17 on runs a node.
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA_SETTINGS="$("$JAVA" -XshowSettings:properties -version 2>&1)"
JAVA_FEATURE="$(sed -n 's/^ *java.specification.version = //p' <<< "$JAVA_SETTINGS")"
# --add-opens: what Hazelcast asks for at start. ForkJoinPool parallelism: on 2 CPUs the common pool
# has parallelism 1 and Hazelcast then starts a thread per async callback (3-5x slower).
JVM_FLAGS=(
  "-Xmx${TASKGRID_HEAP:-512m}"
  -Djava.util.concurrent.ForkJoinPool.common.parallelism=4
  --add-modules java.se
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
)
# On JDK 25 or later, compact object headers (8 bytes instead of 12: fewer bytes for G1 to copy). On
# JDK 25, REST submit p99 at 1,000/s was 16.0 ms with them against 39.9 ms without on a fresh cluster,
# and 34.1 and 57.4 ms against 212 ms after workload 1 (one or two runs each; JDK 17 gave 16.8 and
# 21.4 ms there, so the benchmark's figures stay on JDK 17: docs/performance-history.md, session 26).
# The other two flags let SQLite's driver load its native library and Hazelcast use sun.misc.Unsafe
# without the JDK's warnings.
if [[ "${JAVA_FEATURE%%.*}" =~ ^[0-9]+$ ]] && (( ${JAVA_FEATURE%%.*} >= 25 )); then
  JVM_FLAGS+=(-XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi
# The JIT of a node. On a machine of 2 CPUs or fewer, C1 only: with C2, three node JVMs spent a
# third of both CPUs compiling for minutes after start (async-profiler, docs/performance.md), and
# C1 alone gave 2.4x the REST rate in the first minute and 1.4x the batch throughput.
# TASKGRID_JIT_FLAGS overrides it (empty for the JVM's default).
if [[ -z "${TASKGRID_JIT_FLAGS+set}" ]]; then
  if (( $(nproc 2>/dev/null || echo 4) <= 2 )); then TASKGRID_JIT_FLAGS="-XX:TieredStopAtLevel=1"; else TASKGRID_JIT_FLAGS=""; fi
fi
# G1's pause target for a node: 10 ms instead of its 200 ms default. G1 then keeps a smaller young
# generation and collects it more often in shorter pauses; with three nodes on 2 CPUs, REST submit
# p99 at 1,000/s went from 25-84 ms to 18-22 ms (docs/performance.md). TASKGRID_GC_FLAGS overrides it.
TASKGRID_GC_FLAGS="${TASKGRID_GC_FLAGS--XX:MaxGCPauseMillis=10}"
# A node's whole heap is committed at start (-Xms = -Xmx) but not touched: the kernel gives it
# pages as G1 first uses them. Touching it all at start (AlwaysPreTouch, sessions 8-14) made the
# unused heap resident and cold, and where the kernel reclaims cold memory proactively (DAMON's
# kdamond, as on this project's VMs; no swap, so it never succeeds) it kept retrying: 64 ms of
# kernel CPU a second for three idle 2 GiB nodes against 5 ms untouched, in bursts of 20-80 ms
# every 0.5-0.6 s that stalled the nodes; REST submit p99 at 250/s 92-107 ms touched, 24 ms not
# (docs/performance-history.md, session 15). JAVA_OPTS comes later on the command line and wins.
# A node that runs out of heap exits (-XX:+ExitOnOutOfMemoryError) rather than living on: Hazelcast
# shuts its member down on an OutOfMemoryError, and the JVM then went on answering 503 to every
# request, holding its ports, until someone killed it (session 34). Exited, it is a crash the others
# recover from at once, and whatever supervises it can start it again.
NODE_JVM_FLAGS=("${JVM_FLAGS[@]}" "-Xms${TASKGRID_HEAP:-512m}" -XX:+ExitOnOutOfMemoryError ${TASKGRID_JIT_FLAGS}
  ${TASKGRID_GC_FLAGS})

# Builds the jar if it is missing or older than any source or pom. Not when TASKGRID_BUILT is set, as
# bench.sh and chaos.sh set it once they have built: a node they start minutes later (a restart after
# a fault) must run the code the run began with, not a rebuild of sources edited meanwhile, which
# also replaced the benchmark's jar under it (session 32).
build_if_needed() {
  if [[ -n "${TASKGRID_BUILT:-}" && -f "$JAR" ]]; then prepare_node; return 0; fi
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/pom.xml" "$ROOT/hazelcast.yaml" "$ROOT/client-api" "$ROOT/grid-node" \
      -path '*/target' -prune -o -type f -newer "$JAR" -print -quit)" ]]; then
    echo "Building TaskGrid (mvn install -DskipTests)..."
    (cd "$ROOT" && mvn -q -B install -DskipTests) || { echo "Build failed" >&2; exit 1; }
  fi
  prepare_node
}

# Spring Boot's extraction of packaged jar $1 into folder $2 (a jar of its own classes, and its
# libraries in lib/): a JVM started from it does not unpack nested jars as it loads their classes,
# which took about a third of the time to a node's refreshed context (6.3 s from the jar, 4.5 s
# extracted). Stamped with the jar's size and time: extracted again when the jar changes.
extract_jar() {
  local stamp; stamp="$(stat -c '%s %Y' "$1")"
  if [[ -f "$2/$(basename "$1")" && "$(cat "$2/jar-stamp" 2>/dev/null)" == "$stamp" ]]; then return 0; fi
  rm -rf "$2"
  "$JAVA" -Djarmode=tools -jar "$1" extract --destination "$2" > /dev/null || { echo "Could not extract $1" >&2; exit 1; }
  echo "$stamp" > "$2/jar-stamp"
}

# A node runs from its jar extracted (Spring Boot's `-Djarmode=tools extract`), with the classes it
# loads while starting mapped from a class-data-sharing archive that one training run made (the JVM's
# AppCDS, as Spring Boot's docs recommend for production): the JVM then neither unpacks nested jars
# nor parses and verifies those classes again. Three nodes started one after another in 15 s instead
# of 25-26 s, each in 4.1-4.5 s instead of 7.3-8.0 s (README.md, "Scaling and operating"; session 34).
NODE_DIR="$ROOT/grid-node/target/node"
NODE_JAR="$NODE_DIR/$(basename "$JAR")"
NODE_CDS="$NODE_DIR/taskgrid-node.jsa"
# What the archive was made from: the jar and the JVM (an archive from another JVM build is ignored).
node_stamp() {
  echo "$(stat -c '%s %Y' "$JAR") $(sed -n 's/^ *java.home = //p; s/^ *java.vm.version = //p' <<< "$JAVA_SETTINGS" | tr '\n' ' ')"
}

# Extracts the jar and trains the archive when either is missing or was made from another jar or JVM.
# Under a lock, since nodes may be started side by side; a failed training run only costs the speed.
node_prepared() { [[ -f "$NODE_JAR" && "$(cat "$NODE_DIR/stamp" 2>/dev/null)" == "$(node_stamp)" ]]; }
prepare_node() {
  if node_prepared; then return 0; fi
  mkdir -p "$ROOT/grid-node/target"
  (
    flock 9
    # Another start may have prepared it while this one waited for the lock.
    if node_prepared; then exit 0; fi
    echo "Preparing the node to start fast (extracting the jar, one training run for its class archive)..."
    extract_jar "$JAR" "$NODE_DIR"
    local training; training="$(mktemp -d)"
    rm -f "$NODE_CDS"
    # Its own cluster name, port and database: the training run must meet no real node or task. Its
    # temporary files go with its folder (node_tmp_dir says why).
    if ! "$JAVA" "${NODE_JVM_FLAGS[@]}" -Djava.io.tmpdir="$training" -XX:ArchiveClassesAtExit="$NODE_CDS" -Dspring.context.exit=onRefresh \
        -jar "$NODE_JAR" --server.port=0 --taskgrid.hazelcast.config="$ROOT/hazelcast.yaml" \
        --taskgrid.hazelcast.cluster-name="taskgrid-training-$$" --taskgrid.hazelcast.port=5690 \
        --taskgrid.hazelcast.members=127.0.0.1:5690 --taskgrid.persistence.url="jdbc:sqlite:$training/tasks.db" \
        > "$training/log" 2>&1 || [[ ! -s "$NODE_CDS" ]]; then
      echo "warning: the training run failed, so nodes start without a class archive; its log:" >&2
      tail -n 20 "$training/log" >&2
      rm -f "$NODE_CDS"
    fi
    rm -rf "$training"
    node_stamp > "$NODE_DIR/stamp"
  ) 9> "$ROOT/grid-node/target/node.lock"
}

# How a node's JVM loads TaskGrid: the extracted jar, and the archive when there is one.
node_launch() {
  [[ -f "$NODE_CDS" ]] && echo "-XX:SharedArchiveFile=$NODE_CDS"
  echo "-jar"
  echo "$NODE_JAR"
}

# The benchmark's jar (bench.sh, chaos.sh), built with the node's if missing or older than its sources.
BENCH_JAR="$ROOT/bench/target/taskgrid-bench.jar"
build_bench_if_needed() {
  build_if_needed
  if [[ ! -f "$BENCH_JAR" ]] || [[ -n "$(find "$ROOT/bench" \( -path '*/target' -o -path '*/results' \) -prune -o -type f -newer "$BENCH_JAR" -print -quit)" ]]; then
    echo "Building the benchmark (mvn package -pl bench)..."
    (cd "$ROOT" && mvn -q -B package -pl bench -am -DskipTests) || { echo "Build failed" >&2; exit 1; }
  fi
}

node_pid_file() { echo "$RUN_DIR/node-$1.pid"; }
node_log_file() { echo "$RUN_DIR/node-$1.log"; }
# A node's temporary folder (java.io.tmpdir), emptied at each start: SQLite's driver copies its
# native library (1 MB) there and Jetty a folder of its own. In /tmp, node JVMs left them behind for
# good, stopped or killed (1,882 files, 986 MB, on this project's machine after a day of runs).
node_tmp_dir() { echo "$RUN_DIR/node-$1.tmp"; }

# Whether node i's pid file names a live process.
# Whether process $1 runs. A process killed with -9 stays a zombie until its parent reaps it, and
# when that parent is a PID 1 that does not reap (as in some containers), kill -0 still succeeded:
# start-node.sh then refused to start a node killed a moment before ("already running").
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ ! -r "/proc/$1/stat" ]] || [[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

node_alive() {
  local pid_file; pid_file="$(node_pid_file "$1")"
  [[ -f "$pid_file" ]] && pid_alive "$(cat "$pid_file")"
}

check_index() {
  if ! [[ "$1" =~ ^[0-9]+$ ]] || (( $1 < 1 || $1 > 99 )); then
    echo "node index must be a number from 1 to 99, was '$1'" >&2
    exit 2
  fi
}
