package io.taskgrid.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.partition.Partition;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oldest member tells the others when it has adopted a departed member's journal, and they
 * drop the step they keep for a takeover. The oldest usually says so before another member's own
 * wait for the promotions has ended: that member must not keep the step afterwards, or every
 * departure would leave a step behind on every member, each adopted again at the next takeover.
 */
class AdoptionStepsTest {
  @Test
  void noMemberKeepsAnAdoptionTheOldestHasTaken() {
    // On a database: a memory-only node has no journal, so nothing to adopt and no step to keep.
    try (TestCluster cluster = TaskDatabase.sqlite().configure(new TestCluster()).start(4)) {
      for (int leaving = 4; leaving >= 3; leaving--) {
        TestNode gone = cluster.node(leaving);
        String goneId = gone.id();
        gone.kill();
        List<TestNode> survivors = cluster.running();
        // Until every partition has an owner among the survivors, which is when each survivor's
        // own wait ends and it adopts (the oldest) or keeps the step (the others), …
        await().atMost(Duration.ofSeconds(20)).until(() -> survivors.stream().allMatch(n -> ownedBy(n, survivors)));
        // … and for a while after it, no survivor keeps the step.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> survivors.stream()
            .noneMatch(n -> n.bean(MembershipWatcher.class).keptAdoptions().contains(goneId)));
        // Every partition backed up again before the next kill, so that it loses none.
        await().atMost(Duration.ofSeconds(30)).until(() -> survivors.get(0).hazelcast().getPartitionService().isClusterSafe());
      }
      assertThat(cluster.running()).hasSize(2);
    }
  }

  private static boolean ownedBy(TestNode node, List<TestNode> survivors) {
    List<String> ids = survivors.stream().map(TestNode::id).toList();
    for (Partition partition : node.hazelcast().getPartitionService().getPartitions()) {
      if (partition.getOwner() == null || !ids.contains(partition.getOwner().getUuid().toString())) {
        return false;
      }
    }
    return true;
  }
}
