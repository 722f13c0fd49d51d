package io.taskgrid.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code partitions} health: UP when every partition has its owner and backups in sync (no
 * migration under way), OUT_OF_SERVICE while the cluster is rebalancing. Part of the readiness
 * group ({@code /actuator/health/readiness}), so that a node that just joined reports ready once it
 * owns its share of the tasks.
 */
@Component("partitions")
class PartitionSafetyHealthIndicator implements HealthIndicator {
  private final HazelcastInstance hazelcast;

  PartitionSafetyHealthIndicator(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  public Health health() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return Health.down().withDetail("member", "not running").build();
    }
    boolean safe = hazelcast.getPartitionService().isClusterSafe();
    return (safe ? Health.up() : Health.outOfService())
        .withDetail("members", hazelcast.getCluster().getMembers().size())
        .withDetail("clusterSafe", safe)
        .build();
  }
}
