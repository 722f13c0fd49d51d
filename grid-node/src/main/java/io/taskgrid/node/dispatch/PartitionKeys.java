package io.taskgrid.node.dispatch;

import com.hazelcast.cluster.Member;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * One key per partition, for queries that must run on chosen partitions only ({@code
 * Predicates.multiPartitionPredicate} takes keys, not partition ids). Found once by hashing
 * candidate strings until every partition has one; the partition count never changes while a
 * cluster lives.
 */
final class PartitionKeys {
  // Written once by the first caller that finds it missing, then only read; volatile publishes it.
  private volatile String[] byPartition;

  /** A key in each partition this member owns now whose id passes {@code which}. */
  Set<String> ofOwnedPartitions(PartitionService partitions, IntPredicate which) {
    String[] keys = keys(partitions);
    Set<String> owned = new HashSet<>();
    for (Partition partition : partitions.getPartitions()) {
      Member owner = partition.getOwner();
      if (owner != null && owner.localMember() && which.test(partition.getPartitionId())) {
        owned.add(keys[partition.getPartitionId()]);
      }
    }
    return owned;
  }

  private String[] keys(PartitionService partitions) {
    String[] keys = byPartition;
    if (keys == null) {
      keys = new String[partitions.getPartitions().size()];
      int missing = keys.length;
      for (int i = 0; missing > 0; i++) {
        String key = "partition-key-" + i;
        int id = partitions.getPartition(key).getPartitionId();
        if (keys[id] == null) {
          keys[id] = key;
          missing--;
        }
      }
      byPartition = keys;
    }
    return keys;
  }
}
