package io.taskgrid.node.persistence;

import static io.taskgrid.node.persistence.PersistentClusters.clusterOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A member dies between its journal's commit and its submit processor, leaving rows journaled by
 * it that no member holds in memory: the survivors enter them, backed up, so that they survive
 * the death of their new owner too.
 */
class JournalAdoptionTest {
  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  @ExtendWith(OutputCaptureExtension.class)
  void rowsJournaledByAMemberThatDiedBeforeEnteringThemAreEnteredBackedUp(TaskDatabase database, CapturedOutput output)
      throws SQLException {
    try (TestCluster cluster = clusterOn(database).start(3)) {
      // Every slot busy (two a node) until well after the test's kills, so that nothing claims the
      // orphans meanwhile: a claim is a change, which would back them up whatever the adoption did.
      for (TestNode node : cluster.running()) {
        for (String id : node.idsOwnedHere("blocker-" + node.index() + "-", 2)) {
          node.store().submit(TaskSpec.builder().id(id).type("sleep").payload("15000").build());
        }
      }
      List<String> orphans = journalOrphans(cluster.node(2), "orphan-", 8);
      // And tasks node 2 journaled and entered, waiting for a slot: in memory, so left as they are.
      // A single submission is answered once journaled, and enters just after: until it has, it is
      // one more orphan.
      List<String> entered = List.of("entered-0", "entered-1", "entered-2", "entered-3");
      for (String id : entered) {
        cluster.node(2).store().submit(TaskSpec.builder().id(id).type("echo").payload("e").build());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> owners(cluster.running(), entered).size() == entered.size());
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.running().stream().allMatch(n -> n.worker().freeSlots() == 0));

      String departed = cluster.node(2).id();
      cluster.node(2).kill();

      // In memory again, on their owners; seen in the survivors' own entries, since a read through
      // the grid would load them (and run them) whatever the adoption did.
      List<TestNode> survivors = List.of(cluster.node(1), cluster.node(3));
      await().atMost(Duration.ofSeconds(30)).until(() -> owners(survivors, orphans).size() == orphans.size());
      await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(
          "journaled by departed node " + departed + "; 8 of them were not in memory and were entered"));
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(1).hazelcast().getPartitionService().isClusterSafe());
      // The owner of the most of them dies: their backups must hold them, on the other survivor.
      Map<String, TestNode> owners = owners(survivors, orphans);
      TestNode owner = survivors.stream()
          .max(Comparator.comparingLong(n -> owners.values().stream().filter(n::equals).count())).orElseThrow();
      TestNode last = survivors.stream().filter(n -> n != owner).findFirst().orElseThrow();
      assertThat(last.worker().freeSlots()).as("the orphans are still unclaimed").isZero();
      owner.kill();

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(database.statuses(orphans)).containsOnlyKeys(orphans).allSatisfy((id, status) ->
              assertThat(status).as(id).isEqualTo("COMPLETED")));
      TaskStore store = last.store();
      for (String id : orphans) {
        TaskView done = store.get(id).orElseThrow();
        assertThat(done.result()).as(id).isEqualTo("adopted " + id);
        assertThat(done.attempts()).as(id).isEqualTo(1);
      }
    }
  }

  /**
   * What a member that dies between its journal's commit and its submit processor leaves: rows,
   * journaled by it, and no entry in the map. Echo tasks of a high priority, so that they run
   * first once a slot is free.
   */
  static List<String> journalOrphans(TestNode member, String prefix, int count) {
    long now = System.currentTimeMillis();
    List<TaskRecord> rows = Stream.iterate(0, i -> i + 1).limit(count)
        .map(i -> TaskRecord.pending(TaskSpec.builder().id(prefix + i).type("echo").payload("adopted " + prefix + i)
            .priority(200).build(), now, 1))
        .toList();
    List<String> ids = rows.stream().map(TaskRecord::getId).toList();
    GroupCommitJournal journal = member.bean(GroupCommitJournal.class);
    assertThat(journal.recordIfAbsent(rows)).containsExactlyInAnyOrderElementsOf(ids);
    journal.entered(ids);
    return ids;
  }

  /** The nodes holding these tasks as owners, in memory, by task id. */
  private static Map<String, TestNode> owners(List<TestNode> nodes, List<String> ids) {
    return nodes.stream().flatMap(n -> n.hazelcast().<String, Object>getMap(TaskStore.TASKS_MAP).localKeySet().stream()
            .filter(ids::contains).map(id -> Map.entry(id, n)))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
