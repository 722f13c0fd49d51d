package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskgrid.model.IllegalTaskStateTransitionException;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The transitions of one record, as the entry processors apply them. */
class TaskRecordTest {
  private static TaskRecord pending(int maxAttempts) {
    return TaskRecord.pending(TaskSpec.builder().id("t").type("echo").maxAttempts(maxAttempts).build(), 1000, 1);
  }

  @Test
  void eachClaimCountsAnAttemptAndIssuesANewFence() {
    TaskRecord task = pending(3);
    task.startOn("node-a", 2000, 32000);
    assertThat(task.getStatus()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task.getAttempts()).isEqualTo(1);
    assertThat(task.getFence()).isEqualTo(1);
    assertThat(task.isRunningAttempt(1, "node-a")).isTrue();
    assertThat(task.isRunningAttempt(1, "node-b")).isFalse();

    task.requeueLost("node-a left", 3000);
    assertThat(task.getStatus()).isEqualTo(TaskStatus.PENDING);
    assertThat(task.isClaimableAt(3000)).isTrue();
    task.startOn("node-b", 3001, 33001);
    assertThat(task.getAttempts()).isEqualTo(2);
    assertThat(task.isRunningAttempt(1, "node-a")).isFalse();
    assertThat(task.isRunningAttempt(2, "node-b")).isTrue();
  }

  @Test
  void aFailedAttemptWaitsOutItsBackoffAndTheLastOneFailsTheTask() {
    TaskRecord task = pending(2);
    task.startOn("n", 0, 100);
    task.failAttempt("boom", 10, 1010);
    assertThat(task.getStatus()).isEqualTo(TaskStatus.PENDING);
    assertThat(task.isClaimableAt(1009)).isFalse();
    assertThat(task.isClaimableAt(1010)).isTrue();

    task.startOn("n", 1010, 2000);
    task.failAttempt("boom again", 1020, 5000);
    assertThat(task.getStatus()).isEqualTo(TaskStatus.FAILED);
    assertThat(task.getError()).isEqualTo("boom again");
    assertThat(task.toView().finishedAt().toEpochMilli()).isEqualTo(1020);
  }

  @Test
  void aHandedBackAttemptDoesNotCountButTheFenceStillMovesOn() {
    TaskRecord task = pending(3);
    task.startOn("n", 0, 100);
    task.handBack();
    assertThat(task.getAttempts()).isZero();
    task.startOn("m", 5, 100);
    assertThat(task.getAttempts()).isEqualTo(1);
    assertThat(task.getFence()).isEqualTo(2);
  }

  @Test
  void progressGrowsWithEveryChangeOfStatusAndNotWithALeaseRenewal() {
    TaskRecord task = pending(5);
    List<Long> seen = new ArrayList<>(List.of(task.progress()));
    List<Runnable> path = List.of(
        () -> task.startOn("a", 1, 100),
        () -> task.failAttempt("boom", 2, 3),
        () -> task.startOn("b", 4, 100),
        () -> task.handBack(),
        () -> task.startOn("c", 5, 100),
        () -> task.requeueLost("c left", 6),
        () -> task.startOn("d", 7, 100),
        () -> task.completeWith("done", 8));
    for (Runnable step : path) {
      step.run();
      seen.add(task.progress());
    }
    assertThat(seen).isSorted().doesNotHaveDuplicates();

    TaskRecord running = pending(3);
    running.startOn("a", 1, 100);
    long before = running.progress();
    running.renewLeaseUntil(200);
    assertThat(running.progress()).isEqualTo(before);
  }

  @Test
  void everyWayToEndATaskIsFurtherThanTheStatusItEndedFrom() {
    for (Consumer<TaskRecord> end : List.<Consumer<TaskRecord>>of(
        t -> t.cancel(9), t -> t.failForGood("no handler", 9))) {
      TaskRecord pending = pending(3);
      long waiting = pending.progress();
      end.accept(pending);
      assertThat(pending.progress()).isGreaterThan(waiting);

      TaskRecord running = pending(3);
      running.startOn("a", 1, 100);
      long started = running.progress();
      end.accept(running);
      assertThat(running.progress()).isGreaterThan(started);
    }
  }

  @Test
  void anEndedTaskIsFurtherAlongThanAnUnfinishedCopyOfANewerAttempt() {
    // As the split-brain merge decides: a terminal copy is never replaced.
    TaskRecord ended = pending(9);
    ended.startOn("a", 1, 100);
    ended.completeWith("done", 2);
    TaskRecord rerun = pending(9);
    for (int i = 0; i < 5; i++) {
      rerun.startOn("b", 3, 100);
      rerun.handBack();
    }
    rerun.startOn("b", 4, 100);
    assertThat(rerun.getFence()).isGreaterThan(ended.getFence());
    assertThat(ended.progress()).isGreaterThan(rerun.progress());
  }

  @Test
  void terminalTasksRefuseEveryTransition() {
    TaskRecord task = pending(3);
    task.cancel(5);
    assertThatThrownBy(() -> task.startOn("n", 6, 100)).isInstanceOf(IllegalTaskStateTransitionException.class);
    assertThatThrownBy(() -> task.completeWith("r", 6)).isInstanceOf(IllegalTaskStateTransitionException.class);
  }

  @Test
  void bytesRoundTripEveryField() {
    TaskRecord task = TaskRecord.pending(TaskSpec.builder().id("r").type("echo").payload("héllo").priority(7)
        .deadline(java.time.Instant.ofEpochMilli(123456)).maxAttempts(4).build(), 1000, 42);
    task.startOn("node-a", 2000, 3000);
    task.completeWith("résultat", 2500);

    TaskRecord copy = TaskRecord.fromBytes(task.toBytes());

    assertThat(copy.toView()).isEqualTo(task.toView());
    assertThat(copy.getPayload()).isEqualTo(task.getPayload());
    assertThat(copy.getFence()).isEqualTo(1);
    assertThat(copy.getSeq()).isEqualTo(42);
    assertThat(TaskRecord.fromBytes(task.withoutPayload().toBytes()).getPayload()).isNull();
  }

  /**
   * Stored rows hold these bytes: the layout is field by field, big-endian (java.io.DataOutput), as
   * rows written by earlier versions are. Writing the numbers as blocks must not change a byte.
   */
  @Test
  void bytesAreTheFieldByFieldLayoutOfStoredRows() throws java.io.IOException {
    TaskRecord task = TaskRecord.pending(TaskSpec.builder().id("r").type("echo").payload("héllo").priority(7)
        .deadline(java.time.Instant.ofEpochMilli(-123456)).maxAttempts(4).build(), 1000, Long.MAX_VALUE - 1);
    task.startOn("node-a", 2000, 3000);
    task.failAttempt("boom", 2500, 9000);

    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(expected);
    writeText(out, "r");
    writeText(out, "echo");
    byte[] payload = "héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(payload.length);
    out.write(payload);
    out.writeInt(payload.length);
    out.writeInt(7);
    out.writeLong(-123456);
    out.writeInt(4);
    out.writeLong(1000);
    out.writeLong(Long.MAX_VALUE - 1);
    out.writeByte(TaskStatus.PENDING.ordinal());
    out.writeInt(1);
    out.writeLong(1);
    writeText(out, task.getNode());
    out.writeLong(task.getLeaseUntil());
    out.writeLong(9000);
    out.writeLong(task.toView().startedAt().toEpochMilli());
    out.writeLong(0);
    writeText(out, null); // result
    writeText(out, "boom");

    assertThat(task.toBytes()).isEqualTo(expected.toByteArray());
    assertThat(TaskRecord.fromBytes(expected.toByteArray()).toView()).isEqualTo(task.toView());
  }

  private static void writeText(java.io.DataOutputStream out, String text) throws java.io.IOException {
    if (text == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  @Test
  void theSpecFingerprintFollowsEverySpecFieldButTheIdAndNothingElse() {
    TaskSpec spec = TaskSpec.builder().id("f").type("echo").payload("p").priority(5).maxAttempts(3)
        .deadline(java.time.Instant.ofEpochMilli(90_000)).build();
    TaskRecord stored = TaskRecord.pending(spec, 1000, 1);
    long fingerprint = stored.specFingerprint();
    // The same spec, submitted later, or after the task ran.
    assertThat(TaskRecord.pending(spec, 5000, 9).specFingerprint()).isEqualTo(fingerprint);
    stored.startOn("node-a", 2000, 32000);
    assertThat(stored.specFingerprint()).isEqualTo(fingerprint);

    List<TaskSpec.Builder> others = List.of(
        TaskSpec.builder().id("f").type("sleep").payload("p").priority(5).maxAttempts(3).deadline(java.time.Instant.ofEpochMilli(90_000)),
        TaskSpec.builder().id("f").type("echo").payload("q").priority(5).maxAttempts(3).deadline(java.time.Instant.ofEpochMilli(90_000)),
        TaskSpec.builder().id("f").type("echo").payload("p").priority(6).maxAttempts(3).deadline(java.time.Instant.ofEpochMilli(90_000)),
        TaskSpec.builder().id("f").type("echo").payload("p").priority(5).maxAttempts(4).deadline(java.time.Instant.ofEpochMilli(90_000)),
        TaskSpec.builder().id("f").type("echo").payload("p").priority(5).maxAttempts(3).deadline(java.time.Instant.ofEpochMilli(90_001)),
        TaskSpec.builder().id("f").type("echo").payload("p").priority(5).maxAttempts(3),
        // A byte moved from one field to the next.
        TaskSpec.builder().id("f").type("ech").payload("op").priority(5).maxAttempts(3).deadline(java.time.Instant.ofEpochMilli(90_000)));
    for (TaskSpec.Builder other : others) {
      TaskRecord record = TaskRecord.pending(other.build(), 1000, 1);
      assertThat(record.specFingerprint()).as(other.build().toString()).isNotEqualTo(fingerprint);
      assertThat(record.sameSpecAs(stored)).isFalse();
    }
  }
}
