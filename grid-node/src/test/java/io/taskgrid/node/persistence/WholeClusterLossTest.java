package io.taskgrid.node.persistence;

import static io.taskgrid.node.persistence.PersistentClusters.clusterOn;
import static io.taskgrid.node.persistence.PersistentClusters.views;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every node dies at once and a new cluster starts on the same database (SQLite; PostgreSQL when
 * one is given): what was acknowledged comes back, finished tasks are not run again, and an
 * acknowledged cancel holds.
 */
class WholeClusterLossTest {
  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void everyTaskComesBackAfterTheWholeClusterIsLostAndFinishedOnesAreNotRunAgain(TaskDatabase database)
      throws SQLException {
    List<String> finished = new ArrayList<>();
    List<String> running = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    Map<String, TaskView> finishedBefore = new HashMap<>();
    try (TestCluster first = clusterOn(database).start(2)) {
      TaskStore store = first.node(1).store();
      for (int i = 0; i < 10; i++) {
        finished.add(store.submit(TaskSpec.builder().id("done-" + i).type("echo").payload("result " + i).build())
            .task().id());
      }
      await().atMost(Duration.ofSeconds(20)).until(() ->
          views(store, finished).stream().allMatch(t -> t.status() == TaskStatus.COMPLETED));
      views(store, finished).forEach(t -> finishedBefore.put(t.id(), t));
      // Changes of state are written behind (within a second): wait until the database has them.
      await().atMost(Duration.ofSeconds(10)).until(() -> database.statuses(finished).values().stream()
          .allMatch(status -> status.equals("COMPLETED")));
      for (int i = 0; i < 4; i++) {
        running.add(store.submit(TaskSpec.builder().id("long-" + i).type("sleep").payload("3000").priority(200).build())
            .task().id());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> database.statuses(running).values().stream()
          .allMatch(status -> status.equals("RUNNING")));
      for (int i = 0; i < 6; i++) {
        waiting.add(store.submit(TaskSpec.builder().id("queued-" + i).type("echo").payload("later " + i).build())
            .task().id());
      }
      // Submissions are written before they are acknowledged: no waiting needed for those.
      assertThat(database.statuses(waiting)).hasSize(6);
      // Every node dies abruptly, with tasks finished, running and waiting.
    }

    try (TestCluster second = clusterOn(database).start(2)) {
      TaskStore store = second.node(1).store();
      List<String> all = new ArrayList<>(finished);
      all.addAll(running);
      all.addAll(waiting);

      await().atMost(Duration.ofSeconds(30)).until(() ->
          views(store, all).stream().allMatch(t -> t.status().isTerminal()));

      for (String id : finished) {
        assertThat(store.get(id).orElseThrow()).as("never run again").isEqualTo(finishedBefore.get(id));
      }
      for (TaskView t : views(store, running)) {
        assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(t.attempts()).as("the interrupted attempt counts").isEqualTo(2);
        assertThat(t.result()).isEqualTo("slept 3000 ms");
      }
      for (TaskView t : views(store, waiting)) {
        assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(t.attempts()).isEqualTo(1);
        assertThat(t.result()).startsWith("later ");
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void anAcknowledgedCancelIsInTheDatabaseAndHoldsAfterTheWholeClusterIsLost(TaskDatabase database)
      throws SQLException {
    List<String> busy = List.of("busy-0", "busy-1", "busy-2", "busy-3");
    List<String> cancelled = List.of("busy-0", "queued-0", "queued-1");
    try (TestCluster first = clusterOn(database).with("taskgrid.persistence.write-delay-seconds", 60)
            .start(2);
        TaskGridClient client = TaskGridClient.connect(first.name(), first.addresses())) {
      TaskStore store = first.node(1).store();
      // Two slots a node: four long tasks fill them, so the next two wait.
      for (String id : busy) {
        store.submit(TaskSpec.builder().id(id).type("sleep").payload("60000").build());
      }
      await().atMost(Duration.ofSeconds(10)).until(() ->
          views(store, busy).stream().allMatch(t -> t.status() == TaskStatus.RUNNING));
      store.submit(TaskSpec.builder().id("queued-0").type("sleep").payload("60000").build());
      store.submit(TaskSpec.builder().id("queued-1").type("sleep").payload("60000").build());

      // A pending task over REST, another through the Java client, a running one over REST.
      assertThat(first.node(1).http().delete("/api/tasks/queued-0").status()).isEqualTo(200);
      assertThat(client.cancel("queued-1").status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(first.node(2).http().delete("/api/tasks/busy-0").status()).isEqualTo(200);

      // Nothing is written behind for a minute: only the cancels themselves can have stored these.
      assertThat(database.statuses(cancelled)).containsOnlyKeys(cancelled).allSatisfy((id, status) ->
          assertThat(status).as(id).isEqualTo("CANCELLED"));
      // Every node dies abruptly, right after the cancels were acknowledged.
    }

    try (TestCluster second = clusterOn(database).start(2)) {
      TaskStore store = second.node(1).store();
      // The other busy tasks, unfinished in the database, run again; the cancelled ones stay so.
      await().atMost(Duration.ofSeconds(10)).until(() ->
          views(store, busy.subList(1, 4)).stream().allMatch(t -> t.status() == TaskStatus.RUNNING));
      for (String id : cancelled) {
        TaskView task = store.get(id).orElseThrow();
        assertThat(task.status()).as(id).isEqualTo(TaskStatus.CANCELLED);
        assertThat(task.attempts()).as(id).isEqualTo(id.equals("busy-0") ? 1 : 0);
      }
    }
  }
}
