package io.taskgrid.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cluster without a database deletes finished tasks after the retention, owner and backup alike. */
class MemoryOnlyRetentionTest {

  @Test
  void finishedTasksLeaveAfterTheRetentionAndUnfinishedOnesStay() {
    try (TestCluster cluster = new TestCluster()
        .with("taskgrid.persistence.retention", "3s")
        .with("taskgrid.persistence.sweep-interval", "300ms")
        .start(2)) {
      TaskStore store = cluster.node(1).store();
      store.submit(TaskSpec.builder().id("long-running").type("sleep").payload("60000").build());
      store.submit(TaskSpec.builder().id("short-lived").type("echo").payload("kept a while").build());
      await().atMost(Duration.ofSeconds(10)).until(() ->
          store.get("short-lived").orElseThrow().status() == TaskStatus.COMPLETED);
      assertThat(store.get("short-lived").orElseThrow().result()).isEqualTo("kept a while");

      await().atMost(Duration.ofSeconds(15)).until(() -> store.get("short-lived").isEmpty());
      // Older than the retention too, but not finished: it stays, with its backup.
      assertThat(store.get("long-running").orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(store.map().size()).isEqualTo(1);
      // A backup is removed just after its owner's entry.
      await().atMost(Duration.ofSeconds(5)).until(() ->
          cluster.running().stream().mapToLong(MemoryOnlyRetentionTest::backupEntries).sum() == 1);
    }
  }

  private static long backupEntries(TestNode node) {
    return node.hazelcast().getMap(TaskStore.TASKS_MAP).getLocalMapStats().getBackupEntryCount();
  }
}
