package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.SubmitResult;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.node.support.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A submission is acknowledged only once the backups of its tasks' partitions hold them, so that
 * the owner's death right after the acknowledgement loses nothing: a batch waits while the backup
 * member cannot apply it yet.
 */
class SubmissionBackupTest {
  // Shared with the processor below, which runs in this JVM on the backup member's partition thread.
  private static final CountDownLatch HOLDING = new CountDownLatch(1);
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  /** Occupies the partition thread it runs on until the test releases it. */
  static final class HoldPartitionThread implements EntryProcessor<String, TaskRecord, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object process(Map.Entry<String, TaskRecord> entry) {
      HOLDING.countDown();
      try {
        RELEASE.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }

    @Override
    public EntryProcessor<String, TaskRecord, Object> getBackupProcessor() {
      return null;
    }
  }

  private static boolean ownedBy(HazelcastInstance member, String key) {
    return member.getPartitionService().getPartition(key).getOwner().localMember();
  }

  @Test
  void aBatchIsAcknowledgedOnlyOnceTheBackupMemberHasAppliedIt() throws Exception {
    // One partition thread per member: holding it holds every backup that member applies.
    try (TestCluster cluster = new TestCluster()
        .with("taskgrid.hazelcast.properties[hazelcast.operation.thread.count]", "1").start(2)) {
      HazelcastInstance owner = cluster.node(1).hazelcast();
      HazelcastInstance backup = cluster.node(2).hazelcast();
      List<TaskSpec> specs = new ArrayList<>();
      for (int i = 0; specs.size() < 40; i++) {
        if (ownedBy(owner, "backed-up-" + i)) {
          specs.add(TaskSpec.builder().id("backed-up-" + i).type("echo").payload("p").build());
        }
      }
      String heldKey = "held-0";
      for (int i = 1; !ownedBy(backup, heldKey); i++) {
        heldKey = "held-" + i;
      }
      backup.<String, TaskRecord>getMap(TaskStore.TASKS_MAP).submitToKey(heldKey, new HoldPartitionThread());
      assertThat(HOLDING.await(10, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<List<SubmitResult>> submitted =
          CompletableFuture.supplyAsync(() -> cluster.node(1).store().submitAll(specs));
      try {
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !submitted.isDone());
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("the submission was acknowledged while its backup could not hold it yet", e);
      } finally {
        RELEASE.countDown();
      }

      assertThat(submitted.get(10, TimeUnit.SECONDS)).extracting(SubmitResult::outcome)
          .containsOnly(SubmitOutcome.CREATED).hasSize(specs.size());
      assertThat(backup.getMap(TaskStore.TASKS_MAP).getLocalMapStats().getBackupEntryCount())
          .isGreaterThanOrEqualTo(specs.size());
    }
  }
}
