package io.taskgrid.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgrid.grid.SubmissionJournal;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Concurrent submissions share one transaction of the real task database, and share its failure. */
class GroupCommitJournalTest {
  private static List<TaskRecord> tasks(String prefix, int count) {
    List<TaskRecord> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(TaskRecord.pending(TaskSpec.builder().id(prefix + i).type("echo").payload("p").build(), 1, i));
    }
    return tasks;
  }

  @Test
  void callersThatArriveDuringACommitAreWrittenTogetherInTheNext() throws Exception {
    TaskDatabase database = TaskDatabase.sqlite();
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      List<Integer> commits = new CopyOnWriteArrayList<>();
      CountDownLatch firstCommitMayFinish = new CountDownLatch(1);
      SubmissionJournal counting = candidates -> {
        commits.add(candidates.size());
        try {
          if (commits.size() == 1 && !firstCommitMayFinish.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never let the first commit finish");
          }
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return store.recordIfAbsent(candidates);
      };
      MeterRegistry meters = new SimpleMeterRegistry();
      GroupCommitJournal journal = new GroupCommitJournal(counting, meters);

      CompletableFuture<Set<String>> first = CompletableFuture.supplyAsync(() -> journal.recordIfAbsent(tasks("first-", 1)));
      await().until(() -> commits.size() == 1);
      List<CompletableFuture<Set<String>>> later = new ArrayList<>();
      for (int caller = 0; caller < 20; caller++) {
        List<TaskRecord> mine = tasks("caller" + caller + "-", 5);
        if (caller == 0) {
          mine.set(0, tasks("first-", 1).get(0));  // stored by the first commit: not inserted again
        }
        later.add(CompletableFuture.supplyAsync(() -> journal.recordIfAbsent(mine), runnable -> new Thread(runnable).start()));
      }
      await().until(() -> journal.queued() == 20);
      assertThat(later).noneMatch(CompletableFuture::isDone);
      firstCommitMayFinish.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("first-0");
      CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

      assertThat(commits).containsExactly(1, 100);
      assertThat(database.records()).hasSize(100);
      // Each caller hears which of its own tasks the shared transaction inserted.
      assertThat(later.get(0).get()).containsExactlyInAnyOrder("caller0-1", "caller0-2", "caller0-3", "caller0-4");
      assertThat(later.get(7).get()).containsExactlyInAnyOrder("caller7-0", "caller7-1", "caller7-2", "caller7-3", "caller7-4");
      // Every caller's wait is timed once; the meters see the two transactions and what they carried.
      assertThat(meters.get("taskgrid.journal.wait").timer().count()).isEqualTo(21);
      // The waits also fall into buckets (Prometheus' _bucket series), counted up to each bound.
      CountAtBucket[] buckets = meters.get("taskgrid.journal.wait").timer().takeSnapshot().histogramCounts();
      assertThat(buckets).extracting(b -> b.bucket(TimeUnit.MILLISECONDS)).containsExactly(1.0, 5.0, 10.0, 20.0, 50.0);
      assertThat(buckets).extracting(CountAtBucket::count).isSorted().allMatch(count -> count <= 21);
      assertThat(meters.get("taskgrid.journal.transactions").summary().count()).isEqualTo(2);
      assertThat(meters.get("taskgrid.journal.transactions").summary().totalAmount()).isEqualTo(101);
      assertThat(meters.get("taskgrid.journal.transactions").summary().max()).isEqualTo(100);
    }
  }

  @Test
  void whenTheTransactionFailsEveryCallerOfItsGroupHearsWhyAndTheNextCommitWorks() throws Exception {
    AtomicBoolean databaseDown = new AtomicBoolean(true);
    List<TaskRecord> stored = new CopyOnWriteArrayList<>();
    MeterRegistry meters = new SimpleMeterRegistry();
    GroupCommitJournal journal = new GroupCommitJournal(candidates -> {
      if (databaseDown.get()) {
        throw new TaskStoreUnavailableException("database down", null);
      }
      stored.addAll(candidates);
      return Set.of();
    }, meters);

    assertThatThrownBy(() -> journal.recordIfAbsent(tasks("a-", 3)))
        .isInstanceOf(TaskStoreUnavailableException.class).hasMessage("database down");
    assertThat(stored).isEmpty();
    databaseDown.set(false);
    journal.recordIfAbsent(tasks("b-", 2));
    assertThat(stored).hasSize(2);
    // The failed caller waited too; only the committed transaction counts as one.
    assertThat(meters.get("taskgrid.journal.wait").timer().count()).isEqualTo(2);
    assertThat(meters.get("taskgrid.journal.transactions").summary().count()).isEqualTo(1);
    assertThat(meters.get("taskgrid.journal.transactions").summary().totalAmount()).isEqualTo(2);
  }
}
