package io.taskgrid.node.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerTest {

  @Test
  void aFinishedAttemptLeavesNothingBehindOnTheTimeoutQueue() {
    try (TestCluster cluster = new TestCluster().start(1)) {
      TestNode node = cluster.node(1);
      TaskStore store = node.store();
      store.submit(TaskSpec.builder().id("long").type("sleep").payload("60000").build());
      await().atMost(Duration.ofSeconds(10)).until(() -> store.get("long").orElseThrow().status() == TaskStatus.RUNNING);
      List<TaskSpec> quick = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        quick.add(TaskSpec.builder().id("quick-" + i).type("echo").payload("x".repeat(10_000)).build());
      }
      store.submitAll(quick);

      await().atMost(Duration.ofSeconds(30)).until(() ->
          quick.stream().allMatch(t -> store.get(t.id()).orElseThrow().status() == TaskStatus.COMPLETED));

      // Only the running attempt's timeout: the 50 finished ones' would otherwise wait there,
      // cancelled, for the whole task timeout.
      assertThat(node.worker().timeoutsQueued()).isEqualTo(1);
      store.cancel("long");
      await().atMost(Duration.ofSeconds(10)).until(() -> node.worker().timeoutsQueued() == 0);
    }
  }
}
