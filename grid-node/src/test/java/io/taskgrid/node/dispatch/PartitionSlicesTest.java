package io.taskgrid.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A pass of slices covers each partition owned here once, and only the first slice starts it. */
class PartitionSlicesTest {

  @Test
  void aPassOfSlicesCoversEveryOwnedPartitionOnce() {
    Config config = new Config().setClusterName("slices-" + System.nanoTime());
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    try {
      PartitionSlices slices = new PartitionSlices();
      List<Integer> covered = new ArrayList<>();
      List<Boolean> starts = new ArrayList<>();
      for (int i = 0; i < 2 * PartitionSlices.SLICES; i++) {
        PartitionSlices.Slice slice = slices.next(member.getPartitionService());
        starts.add(slice.startsPass());
        if (i < PartitionSlices.SLICES) {
          slice.keys().forEach(key -> covered.add(member.getPartitionService().getPartition(key).getPartitionId()));
        }
      }

      int partitions = member.getPartitionService().getPartitions().size();
      Set<Integer> distinct = new HashSet<>(covered);
      assertThat(covered).hasSize(partitions);
      assertThat(distinct).hasSize(partitions);
      assertThat(starts.stream().filter(s -> s).count()).isEqualTo(2);
      assertThat(starts.get(0)).isTrue();
      assertThat(starts.get(PartitionSlices.SLICES)).isTrue();
    } finally {
      member.shutdown();
    }
  }
}
