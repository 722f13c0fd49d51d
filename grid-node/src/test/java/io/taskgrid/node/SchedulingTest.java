package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Where and in what order tasks run: capacity, priority and deadline order, spreading a skewed load. */
class SchedulingTest {

  private static List<TaskView> awaitAllDone(TaskStore store, List<String> ids, Duration within) {
    await().atMost(within).until(() -> ids.stream().allMatch(id -> store.get(id).orElseThrow().status().isTerminal()));
    return ids.stream().map(id -> store.get(id).orElseThrow()).toList();
  }

  @Test
  void everyTaskOfABatchCompletesAndNoNodeEverRunsMoreThanItsCapacity() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 2).start(3)) {
      List<TaskSpec> batch = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        batch.add(TaskSpec.builder().id("cap-" + i).type("sleep").payload("150").build());
      }
      cluster.node(1).store().submitAll(batch);

      List<TaskView> done = awaitAllDone(cluster.node(2).store(), batch.stream().map(TaskSpec::id).toList(),
          Duration.ofSeconds(60));

      assertThat(done).allSatisfy(t -> {
        assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(t.result()).isEqualTo("slept 150 ms");
      });
      Map<String, List<TaskView>> byNode = done.stream().collect(Collectors.groupingBy(TaskView::node));
      assertThat(byNode).hasSize(3);
      byNode.forEach((node, tasks) -> assertThat(maxOverlap(tasks)).as("tasks at once on " + node).isBetween(1, 2));
    }
  }

  @Test
  void aNewTaskStartsAtOnceOnItsOwnerWhenItHasAFreeSlotAndWaitsWhenItHasNone() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 1).start(2)) {
      TestNode receiver = cluster.node(1);
      TestNode owner = cluster.node(2);
      List<String> ownedByNode2 = owner.idsOwnedHere("at-once-", 2);

      // The owner has its one slot free: the submission answers the task already running there.
      TaskView first = receiver.store().submit(
          TaskSpec.builder().id(ownedByNode2.get(0)).type("sleep").payload("1500").build()).task();
      assertThat(first.status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(first.node()).isEqualTo(owner.id());
      assertThat(first.attempts()).isEqualTo(1);
      // Its slot is taken: the next one of its partitions waits, and the idle node takes it.
      TaskView second = receiver.store().submit(
          TaskSpec.builder().id(ownedByNode2.get(1)).type("echo").payload("later").build()).task();
      assertThat(second.status()).isEqualTo(TaskStatus.PENDING);

      List<TaskView> done = awaitAllDone(receiver.store(), ownedByNode2, Duration.ofSeconds(20));
      assertThat(done).extracting(TaskView::status).containsOnly(TaskStatus.COMPLETED);
      assertThat(done).extracting(TaskView::attempts).containsOnly(1);
      assertThat(done.get(0).node()).isEqualTo(owner.id());
      assertThat(done.get(1).node()).isEqualTo(receiver.id());
      assertThat(starts(owner, "submission")).isEqualTo(1);
      assertThat(starts(receiver, "submission") + starts(receiver, "claim") + starts(receiver, "handover")).isEqualTo(1);
    }
  }

  private static double starts(TestNode node, String how) {
    return node.bean(MeterRegistry.class).get("taskgrid.starts").tag("how", how).counter().count();
  }

  /** The most attempts whose [startedAt, finishedAt) intervals overlap at one instant. */
  private static int maxOverlap(List<TaskView> tasks) {
    List<long[]> edges = new ArrayList<>();
    for (TaskView t : tasks) {
      edges.add(new long[] {t.startedAt().toEpochMilli(), 1});
      edges.add(new long[] {t.finishedAt().toEpochMilli(), -1});
    }
    // At equal times, an end comes before a start: a slot freed and refilled in the same ms is not two.
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int max = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }

  @Test
  void aBacklogRunsByPriorityThenDeadlineThenSubmissionOrder() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 1).start(1)) {
      TaskStore store = cluster.node(1).store();
      store.submit(TaskSpec.builder().id("blocker").type("sleep").payload("1500").build());
      await().atMost(Duration.ofSeconds(10)).until(() -> store.get("blocker").orElseThrow().status() == TaskStatus.RUNNING);

      Instant soon = Instant.now().plusSeconds(3600);
      List<TaskSpec> backlog = List.of(
          spec("low-first", 1, null),
          spec("high-late-deadline", 9, soon.plusSeconds(60)),
          spec("low-second", 1, null),
          spec("high-no-deadline", 9, null),
          spec("high-early-deadline", 9, soon),
          spec("middle", 5, null));
      backlog.forEach(store::submit);

      List<TaskView> done = awaitAllDone(store, backlog.stream().map(TaskSpec::id).toList(), Duration.ofSeconds(30));
      List<String> startOrder = done.stream().sorted(Comparator.comparing(TaskView::startedAt)).map(TaskView::id).toList();
      assertThat(startOrder).containsExactly(
          "high-early-deadline", "high-late-deadline", "high-no-deadline", "middle", "low-first", "low-second");
    }
  }

  private static TaskSpec spec(String id, int priority, Instant deadline) {
    return TaskSpec.builder().id(id).type("sleep").payload("20").priority(priority).deadline(deadline).build();
  }

  @Test
  void tasksSkewedOntoOneNodesPartitionsStillSpreadOverAllNodes() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 2).start(3)) {
      TestNode owner = cluster.node(1);
      List<TaskSpec> skewed = new ArrayList<>();
      for (String id : owner.idsOwnedHere("skew-", 24)) {
        skewed.add(TaskSpec.builder().id(id).type("sleep").payload("300").build());
      }
      owner.store().submitAll(skewed);

      List<TaskView> done = awaitAllDone(owner.store(), skewed.stream().map(TaskSpec::id).toList(),
          Duration.ofSeconds(60));

      Map<String, Long> perNode = done.stream().collect(Collectors.groupingBy(TaskView::node, Collectors.counting()));
      assertThat(perNode).as("tasks run per node").hasSize(3);
      assertThat(perNode.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(4));
    }
  }

  @Test
  void aHighPriorityTaskOnABusyNodeIsTakenByANodeRunningLowerPriorityWork() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 1).start(2)) {
      TestNode busy = cluster.node(1);
      TestNode other = cluster.node(2);
      // Node 1 is kept busy with a long task; node 2 has a queue of short low-priority work.
      String longOnBusy = idOwnedBy(busy, "long-");
      busy.store().submit(TaskSpec.builder().id(longOnBusy).type("sleep").payload("4000").priority(200).build());
      await().atMost(Duration.ofSeconds(10)).until(() ->
          busy.store().get(longOnBusy).orElseThrow().status() == TaskStatus.RUNNING);
      List<String> lowOnOther = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String id = idOwnedBy(other, "low-" + i + "-");
        lowOnOther.add(id);
        other.store().submit(TaskSpec.builder().id(id).type("sleep").payload("300").priority(1).build());
      }
      String urgent = idOwnedBy(busy, "urgent-");
      busy.store().submit(TaskSpec.builder().id(urgent).type("echo").payload("now").priority(100).build());

      TaskView done = awaitAllDone(busy.store(), List.of(urgent), Duration.ofSeconds(10)).get(0);

      assertThat(done.node()).isEqualTo(other.id());
      assertThat(busy.store().get(longOnBusy).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
      long lowStillPending = lowOnOther.stream()
          .filter(id -> other.store().get(id).orElseThrow().status() == TaskStatus.PENDING).count();
      assertThat(lowStillPending).as("low-priority tasks not yet started when the urgent one ran").isGreaterThan(0);
    }
  }

  private static String idOwnedBy(TestNode node, String prefix) {
    return node.idsOwnedHere(prefix, 1).get(0);
  }
}
