package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.taskgrid.grid.Reply.Outcome;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The member that owns a task, and only that member, is told of each change a processor makes
 * there, once and with the stored state; a change that is refused tells nobody; and the backup
 * still applies the change, untold.
 */
class PrimaryChangesTest {
  private TwoMembers members;
  private IMap<String, TaskRecord> tasks;
  // Appended to on the members' partition threads, read by the test thread after the calls returned.
  private final ConcurrentLinkedQueue<String> told = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startTwoMembers() {
    members = new TwoMembers("primary-changes", 5911);
    for (HazelcastInstance member : List.of(members.first, members.second)) {
      member.getUserContext().put(PrimaryChanges.CONTEXT_KEY,
          (PrimaryChanges) task -> told.add(nameOf(member) + " " + task.getId() + " " + task.getStatus()));
    }
    tasks = members.first.getMap("primary-changes");
  }

  @AfterEach
  void stop() {
    members.close();
  }

  private String nameOf(HazelcastInstance member) {
    return member == members.first ? "first" : "second";
  }

  private String ownerOf(String id) {
    return nameOf(members.ownerOf(id));
  }

  private static TaskRecord candidate(String id, long seq) {
    return TaskRecord.pending(TaskSpec.builder().id(id).type("echo").payload("p").build(), 1, seq);
  }

  @Test
  void onlyTheOwnerIsToldOfEachChangeOnceAndTheBackupAppliesIt() {
    List<String> ids = IntStream.range(0, 20).mapToObj(i -> "told-" + i).toList();
    List<String> expected = new ArrayList<>();
    for (String id : ids) {
      tasks.executeOnKey(id, new SubmitTask(Map.of(id, candidate(id, 1))));
      expected.add(ownerOf(id) + " " + id + " PENDING");
    }
    Map<String, TaskRecord> claimed = tasks.executeOnKeys(Set.copyOf(ids), new ClaimTask("node-a", 2, 60_000));
    Map<String, AttemptReport> reports = new LinkedHashMap<>();
    for (String id : ids) {
      expected.add(ownerOf(id) + " " + id + " RUNNING");
      expected.add(ownerOf(id) + " " + id + " COMPLETED");
      reports.put(id, new CompleteAttempt(claimed.get(id).getFence(), "node-a", 3, "done"));
    }
    tasks.executeOnKeys(reports.keySet(), new ApplyReports(reports));

    assertThat(told).containsExactlyInAnyOrderElementsOf(expected);

    // The backup applied every change without telling its member: the survivor of each key's
    // owner holds the completed task.
    String id = ids.get(0);
    HazelcastInstance survivor = members.backupOf(id);
    members.ownerOf(id).getLifecycleService().terminate();
    TaskRecord promoted = survivor.<String, TaskRecord>getMap("primary-changes").get(id);
    assertThat(promoted.getStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(promoted.getResult()).isEqualTo("done");
  }

  @Test
  void aRefusedChangeTellsNobody() {
    String id = "refused";
    tasks.executeOnKey(id, new SubmitTask(Map.of(id, candidate(id, 1))));
    told.clear();

    Reply conflict = tasks.executeOnKey(id, new SubmitTask(Map.of(id,
        TaskRecord.pending(TaskSpec.builder().id(id).type("echo").payload("other").build(), 1, 2))));
    Reply stale = tasks.executeOnKey(id, new CompleteAttempt(7, "node-b", 3, "ghost"));

    assertThat(conflict.outcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(stale.outcome()).isEqualTo(Outcome.STALE);
    assertThat(told).isEmpty();
  }
}
