package io.taskgrid.bench.baseline;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemYamlConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * A plain Hazelcast member for the baselines: TaskGrid's hazelcast.yaml (same failure detection,
 * same IO settings) under another cluster name, with a {@code DurableExecutorService} and an
 * {@code IExecutorService} of {@value #THREADS} threads each, as a Hazelcast user would set them up
 * instead of TaskGrid.
 *
 * <p>Arguments: {@code <hazelcast.yaml> <port> <member,member,...>}.
 */
public final class BaselineMember {
  public static final String CLUSTER_NAME = "taskgrid-baseline";
  public static final String EXECUTOR = "bench";
  /** One node's capacity in TaskGrid, so both run as many tasks at once. */
  public static final int THREADS = 10;
  /** Per partition; 271 partitions hold 27,100 tasks in flight at most. Hazelcast's default is 100. */
  public static final int DURABLE_CAPACITY = 100;
  public static final String RAW_MAP = "bench-raw";
  public static final String STARTS_MAP = "bench-starts";

  private BaselineMember() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: member <hazelcast.yaml> <port> <member,member,...>");
    }
    // The same JVM-wide IO settings as a TaskGrid node (see HazelcastConfiguration there).
    System.setProperty("hazelcast.io.selectorMode", "selectwithfix");
    System.setProperty("hazelcast.io.write.through", "false");
    System.setProperty("hazelcast.io.selectionKeyWakeupEnabled", "false");
    Config config = new FileSystemYamlConfig(Path.of(args[0]).toFile());
    config.setClusterName(CLUSTER_NAME);
    // TaskGrid's own maps name TaskGrid classes (merge policy) that a plain member does not have.
    config.setMapConfigs(new HashMap<>());
    config.getNetworkConfig().setPort(Integer.parseInt(args[1])).setPortAutoIncrement(false);
    TcpIpConfig tcpIp = config.getNetworkConfig().getJoin().getTcpIpConfig();
    tcpIp.setEnabled(true).setMembers(List.of(args[2].split(",")));
    config.getDurableExecutorConfig(EXECUTOR).setPoolSize(THREADS).setDurability(1).setCapacity(DURABLE_CAPACITY);
    config.getExecutorConfig(EXECUTOR).setPoolSize(THREADS);
    config.getMapConfig(RAW_MAP).setBackupCount(1);
    config.getMapConfig(STARTS_MAP).setBackupCount(1);
    Hazelcast.newHazelcastInstance(config);
  }
}
