package io.taskgrid.node.persistence;

import static io.taskgrid.node.persistence.PersistentClusters.clusterOn;
import static io.taskgrid.node.persistence.PersistentClusters.views;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.MapStoreConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.SubmitResult;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tasks in a real database (SQLite; PostgreSQL when one is given): submissions stored before they are
 * acknowledged, a graceful stop, the MapStore wiring, and how long finished tasks stay. The loss of
 * every node is {@link WholeClusterLossTest}.
 */
class PersistenceTest {
  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  @Test
  void theTaskMapStoreIsDeclaredInHazelcastYamlAndSuppliedByTheNode() {
    try (TestCluster withDatabase = clusterOn(TaskDatabase.available().get(0)).start(1);
        TestCluster without = new TestCluster().start(1)) {
      MapStoreConfig on = withDatabase.node(1).hazelcast().getConfig().getMapConfig(TaskStore.TASKS_MAP)
          .getMapStoreConfig();
      assertThat(on.isEnabled()).isTrue();
      assertThat(on.getImplementation()).isInstanceOf(TaskMapStore.class);
      // As hazelcast.yaml says.
      assertThat(on.getWriteBatchSize()).isEqualTo(1000);
      assertThat(on.isWriteCoalescing()).isTrue();
      assertThat(on.isOffload()).isFalse();
      assertThat(on.getInitialLoadMode()).isEqualTo(MapStoreConfig.InitialLoadMode.EAGER);
      assertThat(without.node(1).hazelcast().getConfig().getMapConfig(TaskStore.TASKS_MAP).getMapStoreConfig()
          .isEnabled()).isFalse();
    }
  }

  @Test
  void sqliteConnectionsShareTheFileInWalModeAndCheckpointEvery10000Pages() throws Exception {
    try (TestCluster cluster = TaskDatabase.sqlite().configure(new TestCluster()).start(1);
        Connection connection = cluster.node(1).bean(HikariDataSource.class).getConnection();
        Statement statement = connection.createStatement()) {
      assertThat(pragma(statement, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(statement, "wal_autocheckpoint")).isEqualTo("10000");
      assertThat(pragma(statement, "busy_timeout")).isEqualTo("10000");
    }
  }

  @Test
  void sqliteFindsUnfinishedTasksAndDeletesExpiredOnesThroughTheFinishedAtIndex() throws Exception {
    try (TestCluster cluster = TaskDatabase.sqlite().configure(new TestCluster()).start(1);
        Connection connection = cluster.node(1).bean(HikariDataSource.class).getConnection();
        Statement statement = connection.createStatement()) {
      // A scan of the whole table would hold the write lock, which every node's journal needs, meanwhile.
      assertThat(plan(statement, TaskMapStore.UNFINISHED_IDS)).contains("USING INDEX taskgrid_tasks_finished_at");
      assertThat(plan(statement, TaskMapStore.DELETE_FINISHED_BEFORE.replace("?", "0")))
          .contains("USING INDEX taskgrid_tasks_finished_at");
      assertThat(plan(statement, TaskMapStore.PENDING_JOURNALED_BY.replace("?", "'a-member'")))
          .contains("USING INDEX taskgrid_tasks_finished_at");
    }
  }

  @Test
  void sqliteListsFinishedTasksInIdOrderThroughAnIndexWithoutSorting() throws Exception {
    try (TestCluster cluster = TaskDatabase.sqlite().configure(new TestCluster()).start(1);
        Connection connection = cluster.node(1).bean(HikariDataSource.class).getConnection();
        Statement statement = connection.createStatement()) {
      // A listing page after a cursor reads its rows off an index in order and stops at its limit.
      String ofStatus = TaskMapStore.finishedAfter(true, true)
          .replaceFirst("\\?", "'FAILED'").replaceFirst("\\?", "'x'").replaceFirst("\\?", "10");
      assertThat(plan(statement, ofStatus))
          .contains("USING INDEX taskgrid_tasks_finished_status_id (status=? AND id>?)").doesNotContain("TEMP B-TREE");
      String any = TaskMapStore.finishedAfter(true, false).replaceFirst("\\?", "'x'").replaceFirst("\\?", "10");
      assertThat(plan(statement, any)).contains("USING INDEX taskgrid_tasks_finished_id (id>?)")
          .doesNotContain("TEMP B-TREE");
    }
  }

  private static String plan(Statement statement, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet steps = statement.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (steps.next()) {
        plan.append(steps.getString("detail")).append('\n');
      }
    }
    return plan.toString();
  }

  private static String pragma(Statement statement, String name) throws SQLException {
    try (ResultSet result = statement.executeQuery("PRAGMA " + name)) {
      assertThat(result.next()).isTrue();
      return result.getString(1);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aJavaClientsBatchIsStoredBeforeItIsAcknowledgedAndEnteredExactlyOnce(TaskDatabase database)
      throws SQLException {
    // Nothing is written behind for a minute: only the journal can have put the batch in the
    // database by the time submitAll returns.
    try (TestCluster cluster = clusterOn(database).with("taskgrid.persistence.write-delay-seconds", 60)
            .start(2);
        TaskGridClient client = TaskGridClient.connect(cluster.name(), cluster.addresses())) {
      List<TaskSpec> batch = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        batch.add(TaskSpec.builder().id("client-" + i).type("echo").payload("p" + i).build());
      }
      List<SubmitResult> first = client.submitAll(batch);

      assertThat(first).extracting(SubmitResult::outcome).containsOnly(SubmitOutcome.CREATED);
      List<String> ids = batch.stream().map(TaskSpec::id).toList();
      assertThat(new HashSet<>(database.statuses(ids).values())).containsOnly("PENDING");
      assertThat(database.statuses(ids)).hasSize(500);
      assertThat(client.submitAll(batch)).extracting(SubmitResult::outcome).containsOnly(SubmitOutcome.EXISTING);
      assertThat(client.submit(batch.get(0)).outcome()).isEqualTo(SubmitOutcome.EXISTING);
      // Each entered its owner's pending index and ran once.
      TaskStore store = cluster.node(1).store();
      await().atMost(Duration.ofSeconds(30)).until(() ->
          views(store, ids).stream().allMatch(t -> t.status() == TaskStatus.COMPLETED));
      assertThat(views(store, ids)).extracting(TaskView::attempts).containsOnly(1);
      // Their completions wait for write-behind, one per task, and the nodes say so.
      assertThat(unwritten(cluster.node(1)) + unwritten(cluster.node(2))).isEqualTo(500);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aSingleSubmissionIsAcknowledgedOnceJournaledAndEntersTheGridAfter(TaskDatabase database) throws SQLException {
    try (TestCluster cluster = clusterOn(database).start(2)) {
      String id = cluster.node(2).idsOwnedHere("acked-", 1).get(0);
      Http.Response created = cluster.node(1).http().post("/api/tasks",
          Map.of("id", id, "type", "sleep", "payload", "200"));

      // Answered at the journal's commit: the owner has free slots and starts the task at once,
      // but the answer did not wait for it.
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.body().get("status").asString()).isEqualTo("PENDING");
      assertThat(created.body().get("attempts").asInt()).isZero();
      assertThat(database.statuses(List.of(id))).containsKey(id);
      // The same when the receiving node owns the task itself (its processor runs on this JVM).
      String local = cluster.node(2).idsOwnedHere("acked-here-", 1).get(0);
      Http.Response here = cluster.node(2).http().post("/api/tasks", Map.of("id", local, "type", "sleep", "payload", "200"));
      assertThat(here.status()).isEqualTo(201);
      assertThat(here.body().get("status").asString()).isEqualTo("PENDING");
      assertThat(here.body().get("attempts").asInt()).isZero();
      for (String done : List.of(id, local)) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
            cluster.node(1).store().get(done).orElseThrow().status() == TaskStatus.COMPLETED);
        assertThat(cluster.node(1).store().get(done).orElseThrow().attempts()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void everySubmissionANodeAcknowledgedRunsWhenItStopsGracefullyRightAfter(TaskDatabase database)
      throws SQLException {
    try (TestCluster cluster = clusterOn(database).start(2)) {
      TaskStore leaving = cluster.node(2).store();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add(leaving.submit(TaskSpec.builder().id("leaving-" + i).type("echo").payload("r" + i).build()).task().id());
      }

      cluster.node(2).stop();

      // Read from the database only: a read of the map would load a task that had not entered.
      // Every row must end COMPLETED; a failure lists the rows that did not, as stored.
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(database.statuses(ids))
          .hasSize(ids.size()).allSatisfy((id, status) -> assertThat(status).as(id).isEqualTo("COMPLETED")));
    }
  }

  private static double unwritten(TestNode node) {
    return node.bean(MeterRegistry.class).get("taskgrid.store.unwritten").gauge().value();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void finishedTasksLeaveMemoryAfterTheResidencyAndTheDatabaseAfterTheRetention(TaskDatabase database)
      throws SQLException {
    try (TestCluster cluster = clusterOn(database)
        .with("taskgrid.persistence.residency", "1s")
        .with("taskgrid.persistence.retention", "4s")
        .with("taskgrid.persistence.sweep-interval", "300ms")
        .start(2)) {
      TaskStore store = cluster.node(1).store();
      store.submit(TaskSpec.builder().id("short-lived").type("echo").payload("kept a while").build());
      await().atMost(Duration.ofSeconds(10)).until(() ->
          store.get("short-lived").orElseThrow().status() == TaskStatus.COMPLETED);

      // Evicted from memory (size() counts what is in memory, without loading)...
      await().atMost(Duration.ofSeconds(10)).until(() -> store.map().size() == 0);
      // ...but still answered, from the database.
      assertThat(store.get("short-lived").orElseThrow().result()).isEqualTo("kept a while");

      await().atMost(Duration.ofSeconds(15)).until(() -> !database.records().containsKey("short-lived"));
      await().atMost(Duration.ofSeconds(10)).until(() -> store.map().size() == 0);
      assertThat(store.get("short-lived")).isEmpty();
    }
  }
}
