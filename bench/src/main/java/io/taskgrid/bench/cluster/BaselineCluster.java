package io.taskgrid.bench.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.taskgrid.bench.baseline.BaselineMember;
import io.taskgrid.bench.workload.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Plain Hazelcast member JVMs for the baselines ({@link BaselineMember}), with the same JVM flags
 * and heap as TaskGrid's nodes, and a client of them.
 */
public final class BaselineCluster implements AutoCloseable {
  static final int BASE_PORT = 7750;

  private final List<Process> members = new ArrayList<>();
  private final int size;
  private HazelcastInstance client;

  private BaselineCluster(int size) {
    this.size = size;
  }

  public static BaselineCluster start(Path root, Path logDir, int size, String heap, List<String> jvmFlags)
      throws IOException {
    Files.createDirectories(logDir);
    BaselineCluster cluster = new BaselineCluster(size);
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    // The jar this runs from (inside Spring Boot's launcher the class location is a nested URL).
    String jar = System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0];
    String addresses = String.join(",", cluster.addresses());
    try {
      for (int i = 1; i <= size; i++) {
        List<String> command = new ArrayList<>(List.of(javaCommand, "-Xmx" + heap));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar, "member", root.resolve("hazelcast.yaml").toString(),
            Integer.toString(BASE_PORT + i), addresses));
        cluster.members.add(new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(logDir.resolve("baseline-" + i + ".log").toFile()).start());
      }
      cluster.awaitSize(size, Duration.ofSeconds(120));
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public List<String> addresses() {
    return IntStream.rangeClosed(1, size).mapToObj(i -> "127.0.0.1:" + (BASE_PORT + i)).toList();
  }

  /** A client of the members, as a user of the executors would have. */
  public synchronized HazelcastInstance client() {
    if (client == null) {
      ClientConfig config = new ClientConfig();
      config.setClusterName(BaselineMember.CLUSTER_NAME);
      config.getNetworkConfig().addAddress(addresses().toArray(String[]::new));
      config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(120_000);
      client = HazelcastClient.newHazelcastClient(config);
    }
    return client;
  }

  private void awaitSize(int expected, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (client().getCluster().getMembers().size() < expected) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("baseline cluster did not reach " + expected + " members");
      }
      members.forEach(p -> {
        if (!p.isAlive()) {
          throw new IllegalStateException("a baseline member died at start (exit " + p.exitValue() + ")");
        }
      });
      Waits.pause(200);
    }
  }

  /** {@code kill -9} of member i (1-based). */
  public void kill(int i) {
    Jvms.kill9(members.get(i - 1).pid());
  }

  @Override
  public void close() {
    if (client != null) {
      client.shutdown();
    }
    members.forEach(p -> Jvms.kill9(p.pid()));
  }
}
