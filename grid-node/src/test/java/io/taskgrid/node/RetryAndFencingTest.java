package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.grid.ClaimTask;
import io.taskgrid.grid.CompleteAttempt;
import io.taskgrid.grid.Reply;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TestCluster;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failed attempts are retried with backoff up to maxAttempts; reports of stale attempts change nothing. */
class RetryAndFencingTest {
  private static TestCluster cluster;
  private static TaskStore store;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster().with("taskgrid.retry.base", "200ms").start(2);
    store = cluster.node(1).store();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  private static TaskView awaitTerminal(String id) {
    await().atMost(Duration.ofSeconds(20)).until(() -> store.get(id).orElseThrow().status().isTerminal());
    return store.get(id).orElseThrow();
  }

  @Test
  void aTaskThatAlwaysFailsEndsFailedAfterMaxAttemptsWithItsError() {
    store.submit(TaskSpec.builder().id("always-fails").type("fail").payload("disk on fire").maxAttempts(3).build());

    TaskView failed = awaitTerminal("always-fails");

    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.error()).isEqualTo("disk on fire");
    // Backoff 200 ms then 400 ms between the three attempts.
    assertThat(Duration.between(failed.submittedAt(), failed.finishedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(600));
  }

  @Test
  void aFlakyTaskCompletesOnItsSecondAttempt() {
    store.submit(TaskSpec.builder().id("flaky-once").type("flaky").payload("1").build());

    TaskView done = awaitTerminal("flaky-once");

    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.result()).isEqualTo("succeeded on attempt 2");
  }

  @Test
  void aTaskOfAnUnknownTypeFailsAtOnceWithoutRetries() {
    // The Java API does not check types (only the REST API does): the node that picks it up fails it.
    store.submit(TaskSpec.builder().id("no-handler").type("unheard-of").maxAttempts(5).build());

    TaskView failed = awaitTerminal("no-handler");

    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.error()).contains("no handler for task type 'unheard-of'");
  }

  @Test
  void aCompletionReportedByAStaleAttemptIsIgnored() {
    // A "ghost" node that is not a member claims the task, as a node that has since been removed would have.
    store.submit(TaskSpec.builder().id("stale-report").type("echo").payload("real result").build());
    String ghost = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    TaskRecord ghostClaim = store.map().executeOnKey("stale-report", new ClaimTask(ghost, now, now + 60_000));
    // The claim may lose the race to a real node; then that node's attempt is the live one.
    TaskView done = awaitTerminal("stale-report");
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("real result");

    long staleFence = ghostClaim != null ? ghostClaim.getFence() : 1;
    String staleNode = ghostClaim != null ? ghost : done.node();
    Reply late = store.map().executeOnKey("stale-report",
        new CompleteAttempt(staleFence, staleNode, System.currentTimeMillis(), "late result"));

    assertThat(late.outcome()).isEqualTo(Reply.Outcome.STALE);
    TaskView after = store.get("stale-report").orElseThrow();
    assertThat(after.result()).isEqualTo("real result");
    assertThat(after.finishedAt()).isEqualTo(done.finishedAt());
    if (ghostClaim != null) {
      // The ghost's attempt was requeued as lost (it counts), then a member ran attempt 2.
      assertThat(after.attempts()).isEqualTo(2);
      assertThat(after.error()).contains(ghost).contains("left the cluster");
    }
  }
}
