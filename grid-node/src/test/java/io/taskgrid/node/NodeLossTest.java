package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** In-JVM members dying, leaving and joining: nothing is lost, and attempts count only when lost. */
class NodeLossTest {

  private static List<String> submitSleeps(TaskStore store, String prefix, int count, int millis) {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      specs.add(TaskSpec.builder().id(prefix + i).type("sleep").payload(String.valueOf(millis)).build());
    }
    store.submitAll(specs);
    return specs.stream().map(TaskSpec::id).toList();
  }

  private static List<TaskView> views(TaskStore store, List<String> ids) {
    return ids.stream().map(id -> store.get(id).orElseThrow()).toList();
  }

  /** Waits until every task runs, then answers those running on {@code node} (at least one). */
  private static List<String> runningOn(TaskStore store, List<String> ids, TestNode node) {
    await().atMost(Duration.ofSeconds(10)).until(() ->
        views(store, ids).stream().allMatch(t -> t.status() == TaskStatus.RUNNING));
    String nodeId = node.id();
    List<String> on = views(store, ids).stream().filter(t -> t.node().equals(nodeId)).map(TaskView::id).toList();
    assertThat(on).isNotEmpty();
    return on;
  }

  private static List<TaskView> awaitAllDone(TaskStore store, List<String> ids) {
    await().atMost(Duration.ofSeconds(30)).until(() -> views(store, ids).stream().allMatch(t -> t.status().isTerminal()));
    return views(store, ids);
  }

  @Test
  void aClientWaitsForTasksRightAfterAMemberDies() throws Exception {
    try (TestCluster cluster = new TestCluster().start(3);
        TaskGridClient client = TaskGridClient.connect(cluster.name(), cluster.addresses())) {
      List<String> ids = submitSleeps(cluster.node(1).store(), "wait-", 12, 1500);
      runningOn(cluster.node(1).store(), ids, cluster.node(3));
      assertThat(client.whenDone(ids.get(0)).get(20, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.COMPLETED);

      cluster.node(3).kill();
      // Waits begun just after the kill, while the client still counts the dead member.
      List<CompletableFuture<TaskView>> waits = ids.stream().map(client::whenDone).toList();

      for (CompletableFuture<TaskView> wait : waits) {
        assertThat(wait.get(30, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.COMPLETED);
      }
    }
  }

  @Test
  void tasksOfAMemberThatDiesRunAgainElsewhereAndTheLostAttemptCounts() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 6).start(3)) {
      TaskStore store = cluster.node(1).store();
      List<String> ids = submitSleeps(store, "die-", 15, 2500);
      TestNode victim = cluster.node(3);
      String victimId = victim.id();
      List<String> onVictim = runningOn(store, ids, victim);

      victim.kill();

      for (TaskView t : awaitAllDone(store, ids)) {
        assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
        if (onVictim.contains(t.id())) {
          assertThat(t.attempts()).isEqualTo(2);
          assertThat(t.node()).isNotEqualTo(victimId);
          assertThat(t.error()).contains("left the cluster");
        } else {
          assertThat(t.attempts()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void aNodeThatLeavesGracefullyHandsItsTasksBackWithoutCountingTheAttempt() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 6).with("taskgrid.drain-timeout", "500ms")
        .start(2)) {
      TaskStore store = cluster.node(1).store();
      List<String> ids = submitSleeps(store, "leave-", 10, 3000);
      runningOn(store, ids, cluster.node(2));

      cluster.node(2).stop();

      for (TaskView t : awaitAllDone(store, ids)) {
        assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(t.attempts()).as("attempts of " + t.id()).isEqualTo(1);
        assertThat(t.node()).isEqualTo(cluster.node(1).id());
      }
    }
  }

  @Test
  void aNodeThatJoinsTakesWorkAtOnce() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 2).start(1)) {
      TaskStore store = cluster.node(1).store();
      List<String> ids = submitSleeps(store, "join-", 20, 1000);

      TestNode newcomer = cluster.startNode();

      await().atMost(Duration.ofSeconds(10)).until(() ->
          views(store, ids).stream().anyMatch(t -> newcomer.id().equals(t.node())));
      assertThat(awaitAllDone(store, ids)).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED));
    }
  }
}
