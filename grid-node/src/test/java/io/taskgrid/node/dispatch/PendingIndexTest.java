package io.taskgrid.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.model.TaskSpec;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's order: priority, then deadline, then submission, except that a poll takes the
 * best task together with the tasks of its partition that rank the same.
 */
class PendingIndexTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  // Ids name their partition: "p3-..." is in partition 3.
  private final PendingIndex index = new PendingIndex(scheduler, Clock.systemUTC(), new SimpleMeterRegistry(),
      id -> Integer.parseInt(id.substring(1, id.indexOf('-'))));
  private long seq;

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private void offer(String id, int priority) {
    index.offer(TaskRecord.pending(TaskSpec.builder().id(id).type("echo").priority(priority).build(), 1_000, seq++));
  }

  private static List<String> ids(List<Candidate> candidates) {
    return candidates.stream().map(Candidate::id).toList();
  }

  @Test
  void aPollTakesTheBestTaskWithTheEqualRankingTasksOfItsPartitionThenTheNextBest() {
    offer("p1-a", 0);
    offer("p2-b", 0);
    offer("p1-c", 0);
    offer("p3-d", 0);
    offer("p1-e", 0);
    offer("p2-f", 0);

    assertThat(ids(index.pollBest(4))).containsExactly("p1-a", "p1-c", "p1-e", "p2-b");
    assertThat(index.peekBest().id()).isEqualTo("p3-d");
    assertThat(ids(index.pollBest(10))).containsExactly("p3-d", "p2-f");
    assertThat(index.readyCount()).isZero();
  }

  @Test
  void aHigherPriorityTaskOfAnotherPartitionGoesBeforeTheRestOfThePartition() {
    offer("p1-low-1", 0);
    offer("p1-high", 5);
    offer("p1-low-2", 0);
    offer("p2-high", 5);
    offer("p2-low", 0);

    assertThat(ids(index.pollBest(2))).containsExactly("p1-high", "p2-high");
    assertThat(ids(index.pollBest(2))).containsExactly("p1-low-1", "p1-low-2");
    assertThat(ids(index.pollBest(2))).containsExactly("p2-low");
  }

  @Test
  void removedAndRestoredTasksKeepThePartitionsBestInFront() {
    offer("p1-a", 0);
    offer("p1-b", 0);
    offer("p2-c", 1);
    index.remove("p2-c");
    index.remove("p1-a");
    assertThat(index.peekBest().id()).isEqualTo("p1-b");

    List<Candidate> taken = index.pollBest(1);
    offer("p1-later", 0);
    index.restore(taken);
    assertThat(index.size()).isEqualTo(2);
    assertThat(ids(index.pollBest(5))).containsExactly("p1-b", "p1-later");

    offer("p4-x", 0);
    index.retainIf(id -> !id.startsWith("p4-"));
    assertThat(index.peekBest()).isNull();
    assertThat(index.size()).isZero();
  }
}
