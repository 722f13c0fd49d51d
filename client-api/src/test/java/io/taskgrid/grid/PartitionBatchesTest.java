package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.taskgrid.model.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch goes to every partition of its keys and answers for all of them; {@code submit} answers
 * only once the backups have applied it, {@code submitBackupFollowing} before.
 */
class PartitionBatchesTest {
  private static final String MAP = "partition-batches";
  private TwoMembers members;
  private IMap<String, TaskRecord> tasks;
  private PartitionBatches batches;

  @BeforeEach
  void startTwoMembers() {
    members = new TwoMembers(MAP, 5921);
    tasks = members.first.getMap(MAP);
    batches = new PartitionBatches(members.first, MAP);
    BlockedBackup.reset();
  }

  @AfterEach
  void stop() {
    BlockedBackup.release.countDown();
    members.close();
  }

  private List<String> pendingTasks(int count) {
    List<String> ids = IntStream.range(0, count).mapToObj(i -> "batch-" + i).toList();
    ids.forEach(id -> tasks.set(id, TaskRecord.pending(TaskSpec.builder().id(id).type("echo").build(), 1, 1)));
    return ids;
  }

  @Test
  void keysOfManyPartitionsAreEachProcessedOnceAndAnswered() {
    List<String> ids = pendingTasks(200);
    Set<Integer> partitions = ids.stream()
        .map(id -> members.first.getPartitionService().getPartition(id).getPartitionId())
        .collect(Collectors.toSet());
    assertThat(partitions).hasSizeGreaterThan(50);

    Map<String, TaskRecord> claimed = batches.submit(ids, new ClaimTask("node-a", 5, 60_000)).join();

    assertThat(claimed).containsOnlyKeys(ids);
    assertThat(claimed.values()).allSatisfy(task -> assertThat(task.getAttempts()).isEqualTo(1));
    assertThat(ids).allSatisfy(id -> assertThat(tasks.get(id).getNode()).isEqualTo("node-a"));
  }

  @Test
  void aSynchronousBatchAnswersOnlyOnceItsBackupHasApplied() throws Exception {
    List<String> ids = pendingTasks(1);

    CompletableFuture<Map<String, String>> answer = batches.submit(ids, new BlockedBackup());

    assertThat(BlockedBackup.started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(answer).isNotDone();
    BlockedBackup.release.countDown();
    assertThat(answer.get(30, TimeUnit.SECONDS)).containsEntry(ids.get(0), "owner");
  }

  @Test
  void aBatchWithItsBackupFollowingAnswersBeforeTheBackupHasApplied() throws Exception {
    List<String> ids = pendingTasks(1);

    CompletableFuture<Map<String, String>> answer = batches.submitBackupFollowing(ids, new BlockedBackup());

    // Well before the blocked backup would give up waiting (30 s).
    assertThat(answer.get(10, TimeUnit.SECONDS)).containsEntry(ids.get(0), "owner");
  }

  /** Answers "owner" on the owner; its backup waits until the test releases it. */
  static final class BlockedBackup implements EntryProcessor<String, TaskRecord, String> {
    private static final long serialVersionUID = 1L;
    // Shared with the backup's copy, which runs on the other member of this JVM.
    static volatile CountDownLatch started;
    static volatile CountDownLatch release;

    static void reset() {
      started = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    @Override
    public String process(Map.Entry<String, TaskRecord> entry) {
      return "owner";
    }

    @Override
    public EntryProcessor<String, TaskRecord, String> getBackupProcessor() {
      return new Backup();
    }

    static final class Backup implements EntryProcessor<String, TaskRecord, String> {
      private static final long serialVersionUID = 1L;

      @Override
      public String process(Map.Entry<String, TaskRecord> entry) {
        started.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }

      @Override
      public EntryProcessor<String, TaskRecord, String> getBackupProcessor() {
        return null;
      }
    }
  }
}
