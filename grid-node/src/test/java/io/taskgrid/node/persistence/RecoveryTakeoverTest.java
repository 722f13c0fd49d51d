package io.taskgrid.node.persistence;

import static io.taskgrid.node.persistence.JournalAdoptionTest.journalOrphans;
import static io.taskgrid.node.persistence.PersistentClusters.clusterOn;
import static io.taskgrid.node.persistence.TwoNodesLostTest.idsWithCopiesOnlyOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.model.TaskSpec;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The oldest member, which takes the steps that bring tasks back from the database after members
 * died, dies itself before it has taken them: the member that becomes the oldest takes them over.
 * Needs the test server of scripts/test-postgres.sh, which it stops and resumes, so that the
 * oldest cannot take its steps in time: tagged to run alone, after the tests that share that server.
 */
@Tag("alone")
@EnabledIfEnvironmentVariable(named = "TASKGRID_TEST_POSTGRES_URL", matches = ".+")
class RecoveryTakeoverTest {
  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void theNextOldestMemberTakesOverTheStepsTheOldestDiedBeforeTaking(CapturedOutput output) {
    TaskDatabase database = TaskDatabase.postgres();
    try (TestCluster cluster = clusterOn(database).start(4)) {
      // Rows node 2 journaled and never entered, and tasks of partitions whose copies are all on
      // nodes 2 and 3.
      List<String> orphans = journalOrphans(cluster.node(2), "taken-over-", 3);
      List<String> lost = idsWithCopiesOnlyOn(cluster.node(2), cluster.node(3), "lost-", 6);
      for (String id : lost) {
        cluster.node(1).store().submit(TaskSpec.builder().id(id).type("sleep").payload("3000").build());
      }
      String departed = cluster.node(2).id();

      // The oldest member, node 1, cannot take either step while the database is away: it tries
      // again later, and dies before that.
      TaskDatabase.postgresServer("stop");
      try {
        CompletableFuture.allOf(
            CompletableFuture.runAsync(cluster.node(2)::kill), CompletableFuture.runAsync(cluster.node(3)::kill)).join();
        await().atMost(Duration.ofSeconds(60)).until(() ->
            output.getOut().contains("Could not read the tasks journaled by departed node " + departed)
                && output.getOut().contains("Could not reload the tasks of lost partitions"));
        cluster.node(1).kill();
      } finally {
        TaskDatabase.postgresServer("resume");
      }

      // Node 4, the oldest now, takes both steps over.
      List<String> all = Stream.concat(orphans.stream(), lost.stream()).toList();
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
          assertThat(database.statuses(all)).containsOnlyKeys(all).allSatisfy((id, status) ->
              assertThat(status).as(id).isEqualTo("COMPLETED")));
      assertThat(cluster.node(4).store().get(orphans.get(0)).orElseThrow().result())
          .isEqualTo("adopted " + orphans.get(0));
      assertThat(cluster.node(4).store().get(lost.get(0)).orElseThrow().result()).isEqualTo("slept 3000 ms");
    }
  }
}
