package io.taskgrid.node.support;

import static org.awaitility.Awaitility.await;

import io.taskgrid.client.TaskGridClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Node JVMs started from the packaged jar, each on its own ports, forming one cluster. */
public final class ProcessCluster implements AutoCloseable {
  // Shared by the process tests of this JVM: each cluster takes a fresh block of ports.
  private static final AtomicInteger NEXT_BLOCK = new AtomicInteger(0);

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final String name;
  private final String members;

  private ProcessCluster(String name, String members) {
    this.name = name;
    this.members = members;
  }

  /**
   * Starts {@code count} nodes on the task database {@code database} one after another, each
   * waited for on HTTP, then waits until all see each other.
   */
  public static ProcessCluster start(int count, TaskDatabase database, String... extraArgs) {
    List<String> args = new ArrayList<>(database.nodeArgs());
    args.addAll(List.of(extraArgs));
    int block = NEXT_BLOCK.getAndIncrement();
    int hzBase = 6500 + block * 10;
    int httpBase = 18500 + block * 10;
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    String members = IntStream.rangeClosed(1, count).mapToObj(i -> "127.0.0.1:" + (hzBase + i))
        .collect(Collectors.joining(","));
    ProcessCluster cluster = new ProcessCluster(name, members);
    for (int i = 1; i <= count; i++) {
      NodeProcess node = NodeProcess.start("node" + i, name, hzBase + i, httpBase + i, members,
          args.toArray(String[]::new));
      cluster.nodes.add(node);
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> node.http().get("/actuator/health").status() == 200);
    }
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> cluster.node(1).http().get("/api/cluster").body().get("nodes").size() == count);
    // Ready once the partitions have settled, so that every node owns its share of what comes next.
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> cluster.nodes.stream()
        .allMatch(n -> n.http().get("/actuator/health/readiness").status() == 200));
    return cluster;
  }

  /** Node {@code i}, from 1. */
  public NodeProcess node(int i) {
    return nodes.get(i - 1);
  }

  /** A Java client of this cluster (the caller closes it). */
  public TaskGridClient connectClient() {
    return TaskGridClient.connect(name, members.split(","));
  }

  /** kill -9 of every node at once; returns once they are all gone. */
  public void killAll() {
    nodes.forEach(NodeProcess::kill);
    nodes.forEach(NodeProcess::awaitExit);
  }

  @Override
  public void close() {
    nodes.stream().filter(NodeProcess::isAlive).forEach(n -> {
      n.resume(); // a SIGSTOPped process only dies of SIGKILL once it is continued on some systems
      n.kill();
    });
  }
}
