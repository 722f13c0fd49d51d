package io.taskgrid.node.persistence;

import static io.taskgrid.node.persistence.PersistentClusters.clusterOn;
import static io.taskgrid.node.persistence.PersistentClusters.views;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.partition.InternalPartition;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Two of four nodes die at once, so some partitions lose their owner and their backup together:
 * their tasks, waiting or running, come back from the database, backed up again, and run to their
 * end on the survivors; a wait begun before the loss answers. Without persistence they are gone,
 * and a node says so.
 */
class TwoNodesLostTest {
  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void theTasksOfPartitionsLostWithBothCopiesComeBackFromTheDatabase(TaskDatabase database) throws SQLException {
    try (TestCluster cluster = clusterOn(database).start(4)) {
      TestNode first = cluster.node(1);
      TestNode last = cluster.node(4);
      TaskStore store = first.store();
      Set<Integer> lost = ConcurrentHashMap.newKeySet();
      first.hazelcast().getMap(TaskStore.TASKS_MAP).addPartitionLostListener(event -> lost.add(event.getPartitionId()));

      // Twelve tasks on partitions with both copies on nodes 2 and 3: two slots a node run some of
      // them there, and the rest wait (or are handed over to the idle nodes).
      List<String> ids = idsWithCopiesOnlyOn(cluster.node(2), cluster.node(3), "doomed-", 12);
      for (String id : ids) {
        store.submit(TaskSpec.builder().id(id).type("sleep").payload("1500").build());
      }
      CompletableFuture<TaskView> waited = store.whenDone(ids.get(ids.size() - 1));
      // Until the database has the claims of nodes 2 and 3 (written behind), so that it holds
      // attempts of nodes that are then gone.
      await().atMost(Duration.ofSeconds(10)).until(() ->
          database.statuses(ids).values().stream().filter("RUNNING"::equals).count() >= 4);
      Set<String> lostNodes = Set.of(cluster.node(2).id(), cluster.node(3).id());
      List<String> ranOnLostNodes = views(store, ids).stream()
          .filter(t -> t.status() == TaskStatus.RUNNING && lostNodes.contains(t.node())).map(TaskView::id).toList();

      CompletableFuture.allOf(
          CompletableFuture.runAsync(cluster.node(2)::kill), CompletableFuture.runAsync(cluster.node(3)::kill)).join();
      await().atMost(Duration.ofSeconds(30)).until(() -> !lost.isEmpty());

      // Back in memory: seen in the survivors' own entries, which a read through the grid would
      // load from the database (the repair under test) where this does not.
      await().atMost(Duration.ofSeconds(30)).until(() -> residentOn(List.of(first, last)).containsAll(ids));
      // Then, once every partition has its backup again (so that no partition is lost this time),
      // the owner of half of them dies too: their backups, on the other survivor, must hold them.
      await().atMost(Duration.ofSeconds(30)).until(() -> first.hazelcast().getPartitionService().isClusterSafe());
      last.kill();

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(database.statuses(ids)).containsOnlyKeys(ids).allSatisfy((id, status) ->
              assertThat(status).as(id).isEqualTo("COMPLETED")));
      for (TaskView task : views(store, ids)) {
        assertThat(task.result()).as(task.id()).isEqualTo("slept 1500 ms");
      }
      // One of them may have ended in the moment between that look and the kill; not all of them.
      assertThat(ranOnLostNodes).isNotEmpty();
      assertThat(views(store, ranOnLostNodes)).as("an attempt lost with its node counts").anySatisfy(t ->
          assertThat(t.attempts()).isGreaterThanOrEqualTo(2));
      assertThat(waited).succeedsWithin(Duration.ofSeconds(10))
          .satisfies(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED));
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void withoutPersistenceTheLossIsLoggedAsAnError(CapturedOutput output) {
    try (TestCluster cluster = new TestCluster().start(3)) {
      List<String> ids = idsWithCopiesOnlyOn(cluster.node(2), cluster.node(3), "gone-", 3);
      for (String id : ids) {
        cluster.node(1).store().submit(TaskSpec.builder().id(id).type("sleep").payload("60000").build());
      }
      CompletableFuture.allOf(
          CompletableFuture.runAsync(cluster.node(2)::kill), CompletableFuture.runAsync(cluster.node(3)::kill)).join();
      await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains(
          "were lost with every copy (their owner and backup died together), and persistence is off: their tasks are gone"));
      // Nothing to read them back from: they are gone.
      assertThat(ids).allSatisfy(id -> assertThat(cluster.node(1).store().get(id)).as(id).isEmpty());
    }
  }

  /** The task ids these nodes hold as owners, in memory. */
  static Set<String> residentOn(List<TestNode> nodes) {
    Set<String> ids = new HashSet<>();
    nodes.forEach(n -> ids.addAll(n.hazelcast().<String, Object>getMap(TaskStore.TASKS_MAP).localKeySet()));
    return ids;
  }

  /** The first {@code count} ids with this prefix whose partition has its owner and its backup on {@code a} and {@code b}. */
  static List<String> idsWithCopiesOnlyOn(TestNode a, TestNode b, String prefix, int count) {
    HazelcastInstance member = a.hazelcast();
    Set<UUID> both = Set.of(UUID.fromString(a.id()), UUID.fromString(b.id()));
    var partitions = ((HazelcastInstanceProxy) member).getOriginal().node.getPartitionService();
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < count; i++) {
      InternalPartition partition = partitions.getPartition(member.getPartitionService().getPartition(prefix + i).getPartitionId());
      if (both.contains(partition.getReplica(0).uuid()) && both.contains(partition.getReplica(1).uuid())) {
        ids.add(prefix + i);
      }
    }
    return ids;
  }
}
