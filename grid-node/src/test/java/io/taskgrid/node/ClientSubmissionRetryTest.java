package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskGridSerialization;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.SubmitResult;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.node.hazelcast.NodeSerialization;
import io.taskgrid.node.support.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A Java client's submission is entered on the members that own its tasks; one whose node has
 * joined the cluster but not finished starting answers a retryable error and is asked again
 * until it has (Hazelcast's client invocation repeats it), so the client sees only the success.
 */
class ClientSubmissionRetryTest {
  /** A member of the cluster with no TaskGrid node on it (yet): what a node is while Spring starts. */
  private static Config startingMember(TestCluster cluster) {
    Config config = new Config().setClusterName(cluster.name());
    config.setProperty("hazelcast.partition.count", "31");
    config.getNetworkConfig().setPort(cluster.basePort() + 9).setPortAutoIncrement(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember(cluster.addresses()[0]);
    TaskGridSerialization.register(config.getSerializationConfig());
    NodeSerialization.register(config.getSerializationConfig());
    return config;
  }

  /** The ids of {@code specs} whose partition {@code view} says {@code member} owns. */
  private static List<String> ownedBy(HazelcastInstance view, List<TaskSpec> specs, UUID member) {
    return specs.stream().map(TaskSpec::id).filter(id -> {
      Member owner = view.getPartitionService().getPartition(id).getOwner();
      return owner != null && owner.getUuid().equals(member);
    }).toList();
  }

  @Test
  void aSubmissionForAMemberStillStartingIsSentAgainUntilItsNodeIsReady() throws Exception {
    try (TestCluster cluster = new TestCluster().start(1)) {
      HazelcastInstance starting = Hazelcast.newHazelcastInstance(startingMember(cluster));
      try (TaskGridClient client = TaskGridClient.connect(cluster.name(), cluster.addresses()[0],
          "127.0.0.1:" + (cluster.basePort() + 9))) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          specs.add(TaskSpec.builder().id("retried-" + i).type("echo").payload("p").build());
        }
        UUID startingId = starting.getCluster().getLocalMember().getUuid();
        // Partitions have moved to the new member, and the client's partition table says so too.
        await().atMost(Duration.ofSeconds(30)).until(() -> starting.getPartitionService().isClusterSafe()
            && !ownedBy(starting, specs, startingId).isEmpty()
            && ownedBy(client.hazelcast(), specs, startingId).equals(ownedBy(starting, specs, startingId)));
        List<String> onStarting = ownedBy(starting, specs, startingId);
        assertThat(onStarting).isNotEmpty();

        CompletableFuture<List<SubmitResult>> submitted = CompletableFuture.supplyAsync(() -> client.submitAll(specs));
        try {
          await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> !submitted.isDone());
        } catch (ConditionTimeoutException e) {
          throw new AssertionError("the submission ended before the member's node was ready: "
              + submitted.handle((results, error) -> error != null ? error.toString()
                  : results.stream().map(SubmitResult::outcome).distinct().toList().toString()).join(), e);
        }
        // The node on that member has finished starting.
        TaskStore.onMember(starting, Clock.systemUTC(), null);

        assertThat(submitted.get(20, TimeUnit.SECONDS)).extracting(SubmitResult::outcome)
            .containsOnly(SubmitOutcome.CREATED).hasSize(100);
        assertThat(onStarting).allMatch(id -> client.get(id).isPresent());
      } finally {
        starting.shutdown();
      }
    }
  }
}
