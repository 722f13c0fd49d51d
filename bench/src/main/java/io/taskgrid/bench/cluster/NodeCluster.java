package io.taskgrid.bench.cluster;

import io.taskgrid.client.TaskGridClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * A fresh TaskGrid cluster of node JVMs, started with scripts/start-node.sh exactly as
 * scripts/start-cluster.sh starts them (same flags, one node at a time, each waited for until
 * ready), on ports of its own and with a database file of its own, so that runs never mix.
 */
public final class NodeCluster implements AutoCloseable {
  /** Node i listens for Hazelcast on 7700+i and for HTTP on 9080+i (start-cluster.sh uses 5700/8080). */
  static final int HZ_BASE_PORT = 7700;
  static final int HTTP_BASE_PORT = 9080;
  private static final String DATABASE_ARG = "--taskgrid.persistence.url=";

  private final Path root;
  private final Path runDir;
  private final int size;
  private final String heap;
  private final List<String> nodeArgs;
  private final boolean profile;
  // Each node's Hazelcast on an address of its own (127.0.0.i), so that a firewall rule can cut the
  // traffic between two nodes while HTTP (on 127.0.0.1) still reaches both: the chaos run's splits.
  private final boolean addressPerNode;
  // Which nodes run: changed by the thread that starts, stops and kills them, read by the load's
  // threads (a chaos run keeps sending while nodes come and go), hence atomic.
  private final AtomicIntegerArray alive;
  private TaskGridClient client;

  private NodeCluster(Path root, Path runDir, int size, String heap, List<String> nodeArgs, boolean profile,
      boolean addressPerNode) {
    this.root = root;
    this.profile = profile;
    this.addressPerNode = addressPerNode;
    this.runDir = runDir;
    this.size = size;
    this.heap = heap;
    this.nodeArgs = nodeArgs;
    // One index more than the cluster's size: room for a node that joins for a while (the chaos run).
    this.alive = new AtomicIntegerArray(size + 2);
  }

  /** Starts {@code size} nodes; their logs and database go under {@code runDir}, emptied first. */
  public static NodeCluster start(Path root, Path runDir, int size, String heap, List<String> nodeArgs,
      boolean profile) throws IOException, InterruptedException {
    return start(root, runDir, size, heap, nodeArgs, profile, false);
  }

  /**
   * As {@link #start(Path, Path, int, String, List, boolean)}; with {@code addressPerNode}, node i's
   * Hazelcast listens and connects on 127.0.0.i (see {@link #hazelcastHost}).
   */
  public static NodeCluster start(Path root, Path runDir, int size, String heap, List<String> nodeArgs,
      boolean profile, boolean addressPerNode) throws IOException, InterruptedException {
    Files.createDirectories(runDir);
    deleteDatabase(runDir);
    NodeCluster cluster = new NodeCluster(root, runDir, size, heap, nodeArgs, profile, addressPerNode);
    try {
      for (int i = 1; i <= size; i++) {
        cluster.startNode(i);
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * Starts node i (again) on its ports and the cluster's database, and waits until it is ready; i
   * may be one more than the cluster's size, for a node that joins for a while. The database is a
   * SQLite file in the run folder unless the node arguments name another.
   */
  public void startNode(int i) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("bash", root.resolve("scripts/start-node.sh").toString(),
        Integer.toString(i), "--background",
        "--taskgrid.hazelcast.members=" + String.join(",", hazelcastAddresses())));
    if (nodeArgs.stream().noneMatch(arg -> arg.startsWith(DATABASE_ARG))) {
      // Given twice, Spring Boot would join the two values into one.
      args.add(DATABASE_ARG + "jdbc:sqlite:" + runDir.resolve("taskgrid.db"));
    }
    args.addAll(nodeArgs);
    // The member's own address, for its server socket and for the connections it opens.
    script(args, addressPerNode ? "-Dhazelcast.local.localAddress=" + hazelcastHost(i)
        + " -Dhazelcast.socket.bind.any=false -Dhazelcast.socket.client.bind.any=false" : "");
    alive.set(i, 1);
    script(List.of("bash", root.resolve("scripts/wait-node.sh").toString(), Integer.toString(i)));
  }

  private void script(List<String> command) throws IOException, InterruptedException {
    script(command, "");
  }

  private void script(List<String> command, String javaOpts) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("scripts.log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("TASKGRID_RUN_DIR", runDir.toString());
    env.put("TASKGRID_HZ_BASE_PORT", Integer.toString(HZ_BASE_PORT));
    env.put("TASKGRID_HTTP_BASE_PORT", Integer.toString(HTTP_BASE_PORT));
    env.put("TASKGRID_HEAP", heap);
    String opts = env.getOrDefault("JAVA_OPTS", "") + " " + javaOpts
        + (profile ? " -XX:StartFlightRecording=settings=profile" : "");
    if (!opts.isBlank()) {
      env.put("JAVA_OPTS", opts.trim());
    }
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "); see "
          + runDir.resolve("scripts.log"));
    }
  }

  public int size() {
    return size;
  }

  /** Whether node i was started and has not been killed or stopped since. */
  public boolean isAlive(int i) {
    return alive.get(i) == 1;
  }

  /** Stops node i gracefully (scripts/stop-node.sh: SIGTERM, drain, leave) and waits for it to exit. */
  public void stop(int i) throws IOException, InterruptedException {
    alive.set(i, 0);
    script(List.of("bash", root.resolve("scripts/stop-node.sh").toString(), Integer.toString(i)));
  }

  /** Freezes node i ({@code SIGSTOP}): it holds its connections but answers nothing, as a hung VM. */
  public void freeze(int i) throws IOException, InterruptedException {
    signal(i, "-STOP");
  }

  /** Wakes node i frozen by {@link #freeze}. */
  public void thaw(int i) throws IOException, InterruptedException {
    signal(i, "-CONT");
  }

  private void signal(int i, String signal) throws IOException, InterruptedException {
    script(List.of("kill", signal, Long.toString(pid(i))));
  }

  public List<String> hazelcastAddresses() {
    return IntStream.rangeClosed(1, size).mapToObj(i -> hazelcastHost(i) + ":" + (HZ_BASE_PORT + i)).toList();
  }

  /** The address node i's Hazelcast uses: 127.0.0.1, or 127.0.0.i when each node has its own. */
  public String hazelcastHost(int i) {
    return addressPerNode ? "127.0.0." + i : "127.0.0.1";
  }

  /** The highest node index this cluster may run: its size, plus one for a node joining for a while. */
  public int maxIndex() {
    return alive.length() - 1;
  }

  public String httpUrl(int i) {
    return "http://127.0.0.1:" + (HTTP_BASE_PORT + i);
  }

  /** The HTTP base URLs of the nodes still alive. */
  public List<String> httpUrls() {
    return IntStream.range(1, alive.length()).filter(this::isAlive).mapToObj(this::httpUrl).toList();
  }

  /** A Java client of this cluster, shared by the workloads; closed with the cluster. */
  public synchronized TaskGridClient client() {
    if (client == null) {
      client = TaskGridClient.connect(TaskGridClient.DEFAULT_CLUSTER_NAME, hazelcastAddresses().toArray(String[]::new));
    }
    return client;
  }

  public long pid(int i) {
    try {
      return Long.parseLong(Files.readString(runDir.resolve("node-" + i + ".pid")).trim());
    } catch (IOException e) {
      throw new IllegalStateException("no pid file for node " + i, e);
    }
  }

  /** The pids of the nodes still alive. */
  public List<Long> pids() {
    return IntStream.range(1, alive.length()).filter(this::isAlive).mapToObj(this::pid).toList();
  }

  /** {@code kill -9} of node i (frozen or not). */
  public void kill(int i) {
    Jvms.kill9(pid(i));
    alive.set(i, 0);
    try {
      Files.deleteIfExists(runDir.resolve("node-" + i + ".pid"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Live heap summed over the nodes still alive, in bytes. */
  public long liveHeapBytes() {
    return pids().stream().mapToLong(Jvms::liveHeapBytes).sum();
  }

  /** Kills every node: the benchmark's data is thrown away, so there is nothing to drain. */
  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    for (int i = 1; i < alive.length(); i++) {
      if (isAlive(i) && profile) {
        dumpRecording(i);
      }
      if (isAlive(i)) {
        kill(i);
      }
    }
    for (int i = 1; i < alive.length(); i++) {
      try {
        Files.deleteIfExists(runDir.resolve("node-" + i + ".pid"));
      } catch (IOException e) {
        System.err.println("could not delete a pid file: " + e.getMessage());
      }
    }
    try {
      deleteDatabase(runDir);
    } catch (IOException e) {
      System.err.println("could not delete the benchmark database: " + e.getMessage());
    }
  }

  /** Saves node i's flight recording as run/node-i-N.jfr, N counting the clusters of this run. */
  private void dumpRecording(int i) {
    try {
      int n = 1;
      while (Files.exists(runDir.resolve("node-" + i + "-" + n + ".jfr"))) {
        n++;
      }
      Jvms.jcmd(pid(i), "JFR.dump", "filename=" + runDir.resolve("node-" + i + "-" + n + ".jfr"));
    } catch (RuntimeException e) {
      System.err.println("could not save the flight recording of node " + i + ": " + e.getMessage());
    }
  }

  /** The benchmark's database (and its WAL files): each cluster starts on an empty one. */
  private static void deleteDatabase(Path runDir) throws IOException {
    try (var files = Files.list(runDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("taskgrid.db")).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
