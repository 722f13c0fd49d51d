package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.taskgrid.grid.Reply.Outcome;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reports sent together in one operation are each fenced as if sent alone, on owner and backup. */
class ApplyReportsTest {
  private TwoMembers members;
  private IMap<String, TaskRecord> tasks;

  @BeforeEach
  void startTwoMembers() {
    members = new TwoMembers("apply-reports", 5901);
    tasks = members.first.getMap("apply-reports");
  }

  @AfterEach
  void stop() {
    members.close();
  }

  private TaskRecord runningOn(String id, String node) {
    TaskRecord task = TaskRecord.pending(TaskSpec.builder().id(id).type("echo").payload("p").build(), 1, 1);
    task.startOn(node, 2, 60_000);
    tasks.set(id, task);
    return task;
  }

  @Test
  void eachReportOfABatchIsAppliedOrRefusedByItsOwnFence() {
    TaskRecord current = runningOn("batch-current", "node-a");
    TaskRecord stale = runningOn("batch-stale", "node-a");
    Map<String, AttemptReport> reports = new LinkedHashMap<>();
    reports.put("batch-current", new CompleteAttempt(current.getFence(), "node-a", 3, "done"));
    // Reported by a node that does not hold the attempt: must change nothing.
    reports.put("batch-stale", new CompleteAttempt(stale.getFence(), "node-b", 3, "ghost result"));
    reports.put("batch-missing", new CompleteAttempt(1, "node-a", 3, "nobody"));

    Map<String, Reply> replies = tasks.executeOnKeys(reports.keySet(), new ApplyReports(reports));

    assertThat(replies.get("batch-current").outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(replies.get("batch-current").task()).isNull();
    assertThat(replies.get("batch-stale").outcome()).isEqualTo(Outcome.STALE);
    assertThat(replies.get("batch-stale").task().getStatus()).isEqualTo(TaskStatus.RUNNING);
    assertThat(replies.get("batch-missing").outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(tasks.get("batch-current").getResult()).isEqualTo("done");
    assertThat(tasks.get("batch-stale").getStatus()).isEqualTo(TaskStatus.RUNNING);
    assertThat(tasks.containsKey("batch-missing")).isFalse();
  }

  @Test
  void theBackupReplicaAppliesTheSameReports() {
    TaskRecord current = runningOn("backup-current", "node-a");
    Map<String, AttemptReport> reports = Map.of("backup-current",
        new FailAttempt(current.getFence(), "node-a", 3, "boom", 100, true));

    // Answered once the backup has applied the batch too (PartitionBatches backs up synchronously).
    new PartitionBatches(members.first, "apply-reports").submit(reports.keySet(), new ApplyReports(reports)).join();
    // Kill the key's owner without a word: the survivor's backup replica becomes the record.
    HazelcastInstance survivor = members.backupOf("backup-current");
    members.ownerOf("backup-current").getLifecycleService().terminate();
    TaskRecord promoted = survivor.<String, TaskRecord>getMap("apply-reports").get("backup-current");

    assertThat(promoted.getStatus()).isEqualTo(TaskStatus.PENDING);
    assertThat(promoted.getError()).isEqualTo("boom");
    assertThat(promoted.getAttempts()).isEqualTo(current.getAttempts());
  }
}
