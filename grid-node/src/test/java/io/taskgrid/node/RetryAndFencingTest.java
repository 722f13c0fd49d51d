package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.grid.CompleteAttempt;
import io.taskgrid.grid.Reply;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failed attempts are retried with backoff up to maxAttempts; reports of stale attempts change nothing. */
class RetryAndFencingTest {
  private static TestCluster cluster;
  private static TaskStore store;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster()
        .with("taskgrid.retry.base", "200ms")
        .with("taskgrid.lease", "1s")
        .with("taskgrid.task-timeout", "4s")
        // The ghost attempts below belong to no member: the periodic reconciliation requeues them.
        .with("taskgrid.reconcile-interval", "1s")
        .start(2);
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

  /** Puts a task straight into the map as RUNNING on {@code node} with a lease of {@code leaseMillis}. */
  private static TaskRecord runningOn(String id, String node, long leaseMillis) {
    long now = System.currentTimeMillis();
    TaskRecord task = TaskRecord.pending(TaskSpec.builder().id(id).type("echo").payload("real result").build(), now, now);
    task.startOn(node, now, now + leaseMillis);
    store.map().set(id, task);
    return task;
  }

  @Test
  void aCompletionReportedByAStaleAttemptIsIgnored() {
    // A "ghost" node that is no longer a member was running attempt 1: it is requeued as lost and
    // a member runs attempt 2.
    String ghost = UUID.randomUUID().toString();
    TaskRecord ghostAttempt = runningOn("stale-report", ghost, 60_000);
    TaskView done = awaitTerminal("stale-report");
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.error()).contains(ghost).contains("left the cluster");

    Reply late = store.map().executeOnKey("stale-report",
        new CompleteAttempt(ghostAttempt.getFence(), ghost, System.currentTimeMillis(), "late result"));

    assertThat(late.outcome()).isEqualTo(Reply.Outcome.STALE);
    assertThat(store.get("stale-report").orElseThrow()).isEqualTo(done);
  }

  @Test
  void aTaskRunningLongerThanItsLeaseKeepsItByRenewing() {
    store.submit(TaskSpec.builder().id("outlives-lease").type("sleep").payload("2500").build());

    TaskView done = awaitTerminal("outlives-lease");

    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(1);
  }

  @Test
  void leasesAreRenewedWhileTheNodesOtherDutiesAreHeldUp() throws Exception {
    store.submit(TaskSpec.builder().id("renewed-while-busy").type("sleep").payload("3000").build());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        store.get("renewed-while-busy").orElseThrow().status() == TaskStatus.RUNNING);
    // Every node's duty thread is held (as a long reconciliation would hold it) for longer than the lease.
    CountDownLatch release = new CountDownLatch(1);
    for (TestNode node : cluster.running()) {
      node.bean("taskgridScheduler", ScheduledExecutorService.class).execute(() -> {
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    try {
      long leaseBefore = store.map().get("renewed-while-busy").getLeaseUntil();
      await().atMost(Duration.ofMillis(1500)).until(() ->
          store.map().get("renewed-while-busy").getLeaseUntil() > leaseBefore);
    } finally {
      release.countDown();
    }
    TaskView done = awaitTerminal("renewed-while-busy");
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(1);
  }

  @Test
  void anAttemptPastTheTaskTimeoutIsInterruptedAndCountsAsFailed() {
    store.submit(TaskSpec.builder().id("too-slow").type("sleep").payload("60000").maxAttempts(1).build());

    TaskView failed = awaitTerminal("too-slow");

    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.error()).isEqualTo("timed out after 4000 ms");
    // Interrupted at the timeout, at most one check (a twentieth of it) later, not before.
    assertThat(Duration.between(failed.startedAt(), failed.finishedAt()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aTaskWhoseLeaseRunsOutOnALiveNodeIsRequeuedAndRunsAgain() {
    // A live member holds the claim but never renews it, as if its worker were stuck.
    runningOn("stuck", cluster.node(2).id(), 300);

    TaskView done = awaitTerminal("stuck");

    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.error()).contains("lease of attempt 1").contains("expired");
  }
}
