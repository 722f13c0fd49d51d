package io.taskgrid.node.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskgrid.grid.TaskRecord;
import io.taskgrid.model.TaskSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which copy of a task survives a split-brain merge. */
class NewestAttemptMergePolicyTest {
  private static TaskRecord claimed(int times) {
    TaskRecord task = TaskRecord.pending(TaskSpec.builder().id("t").type("echo").maxAttempts(5).build(), 0, 0);
    for (int i = 1; i <= times; i++) {
      task.startOn("node-" + i, i, i + 1000);
      if (i < times) {
        task.requeueLost("lost", i);
      }
    }
    return task;
  }

  @Test
  void theCopyOfANewerAttemptWins() {
    assertThat(NewestAttemptMergePolicy.mergingWins(claimed(3), claimed(2))).isTrue();
    assertThat(NewestAttemptMergePolicy.mergingWins(claimed(2), claimed(3))).isFalse();
  }

  @Test
  void onATieTheSurvivingClustersCopyWins() {
    assertThat(NewestAttemptMergePolicy.mergingWins(claimed(2), claimed(2))).isFalse();
  }

  @Test
  void aStaleNodesLateCompletionDoesNotReplaceTheNewerAttempt() {
    TaskRecord staleDone = claimed(1);
    staleDone.completeWith("late", 50);
    assertThat(NewestAttemptMergePolicy.mergingWins(staleDone, claimed(2))).isFalse();
  }

  @Test
  void aTerminalTaskIsNeverReplaced() {
    TaskRecord done = claimed(1);
    done.completeWith("result", 10);
    assertThat(NewestAttemptMergePolicy.mergingWins(claimed(4), done)).isFalse();
  }

  @Test
  void ofTwoEndedCopiesTheNewerAttemptsIsKeptAsInTheDatabase() {
    TaskRecord first = claimed(1);
    first.completeWith("first", 10);
    TaskRecord second = claimed(2);
    second.completeWith("second", 20);
    assertKeptOver(second, first);
    TaskRecord cancelled = claimed(1);
    cancelled.cancel(15);
    assertThat(NewestAttemptMergePolicy.mergingWins(second, cancelled)).isTrue();
  }

  @Test
  void ofTwoEndsOfTheSameAttemptBothSidesKeepTheAttemptsOwnWhicheverSurvives() {
    // One side cancelled attempt 1 while the other ran it to its end: memory must keep what the
    // database keeps whichever side wrote last (its upsert replaces a row only with one at least as far along).
    TaskRecord completed = claimed(1);
    completed.completeWith("done", 10);
    TaskRecord failed = claimed(1);
    failed.failForGood("boom", 10);
    TaskRecord cancelled = claimed(1);
    cancelled.cancel(15);
    for (TaskRecord ended : List.of(completed, failed)) {
      assertKeptOver(ended, cancelled);
    }
    assertThat(NewestAttemptMergePolicy.mergingWins(completed, failed)).isTrue();
    assertThat(NewestAttemptMergePolicy.mergingWins(failed, completed)).isFalse();
    assertThat(NewestAttemptMergePolicy.mergingWins(TaskRecord.fromBytes(completed.toBytes()), completed))
        .as("the same end: the survivor's").isFalse();
  }

  /** Whichever side holds which, the merge keeps {@code kept}, and so does the database row. */
  private static void assertKeptOver(TaskRecord kept, TaskRecord lost) {
    assertThat(NewestAttemptMergePolicy.mergingWins(kept, lost)).isTrue();
    assertThat(NewestAttemptMergePolicy.mergingWins(lost, kept)).isFalse();
    assertThat(kept.progress()).isGreaterThan(lost.progress());
  }

  @Test
  void aTaskOnlyTheMergingSideKnowsIsKept() {
    assertThat(NewestAttemptMergePolicy.mergingWins(claimed(1), null)).isTrue();
  }
}
