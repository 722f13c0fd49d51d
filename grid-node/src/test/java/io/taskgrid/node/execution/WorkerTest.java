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
  void aFinishedAttemptLeavesNothingBehind() {
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

      // Only the running attempt, whose timeout the worker's sweep checks: the 50 finished ones
      // (and their 10 KB payloads) are gone once the grid has their outcomes.
      await().atMost(Duration.ofSeconds(10)).until(() -> node.worker().executions().size() == 1);
      assertThat(node.worker().executions()).extracting(e -> e.taskId).containsExactly("long");
      store.cancel("long");
      await().atMost(Duration.ofSeconds(10)).until(() -> node.worker().executions().isEmpty());
    }
  }

  @Test
  void theTimeoutIsCheckedATwentiethOfItsLengthApartBetween10MsAnd1s() {
    assertThat(Worker.timeoutCheck(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(1));
    assertThat(Worker.timeoutCheck(Duration.ofSeconds(4))).isEqualTo(Duration.ofMillis(200));
    assertThat(Worker.timeoutCheck(Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(10));
  }
}
