package io.taskgrid.grid;

import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Two plain Hazelcast members in this JVM with TaskGrid's serialization and one map of one backup:
 * enough to see a processor on its owner and its backup. Each test class names its own cluster and
 * port, so classes never join each other's members.
 */
final class TwoMembers implements AutoCloseable {
  final HazelcastInstance first;
  final HazelcastInstance second;
  private final String name;
  private final int port;
  private final Consumer<Config> more;
  private final List<HazelcastInstance> joined = new ArrayList<>();

  TwoMembers(String name, int port) {
    this(name, port, config -> {});
  }

  /** Members whose config {@code more} adds to first (a map store, say). */
  TwoMembers(String name, int port, Consumer<Config> more) {
    this.name = name;
    this.port = port;
    this.more = more;
    Config config = config(name, port);
    more.accept(config);
    first = Hazelcast.newHazelcastInstance(config);
    second = Hazelcast.newHazelcastInstance(config(name, port).setMapConfigs(config.getMapConfigs()));
    // Assign the partitions now and wait until every backup replica is in place: a write made
    // while the second member does not yet know it holds the backup is not backed up at all.
    first.getPartitionService().getPartitions().forEach(partition -> partition.getOwner());
    await().atMost(Duration.ofSeconds(30)).until(() -> first.getPartitionService().isClusterSafe()
        && second.getPartitionService().isClusterSafe());
  }

  private static Config config(String name, int port) {
    Config config = new Config().setClusterName(name + "-test");
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    config.getNetworkConfig().setPort(port);
    config.getMapConfig(name).setBackupCount(1);
    TaskGridSerialization.register(config.getSerializationConfig());
    return config;
  }

  /** Starts one more member of this cluster (closed with the others), once its partitions are safe. */
  HazelcastInstance join() {
    Config config = config(name, port);
    more.accept(config);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    joined.add(member);
    await().atMost(Duration.ofSeconds(30)).until(() -> member.getPartitionService().isClusterSafe());
    return member;
  }

  /** The member that owns {@code key}'s partition as primary. */
  HazelcastInstance ownerOf(String key) {
    return first.getPartitionService().getPartition(key).getOwner().localMember() ? first : second;
  }

  /** The other member, which holds {@code key}'s backup. */
  HazelcastInstance backupOf(String key) {
    return ownerOf(key) == first ? second : first;
  }

  @Override
  public void close() {
    joined.forEach(member -> member.getLifecycleService().terminate());
    second.getLifecycleService().terminate();
    first.getLifecycleService().terminate();
  }
}
