package io.taskgrid.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskgrid.grid.TaskRecord;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The journal's insert stores only what is new, and says which of its candidates those were. */
class TaskMapStoreTest {
  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  private static TaskRecord pending(String id, String payload) {
    return TaskRecord.pending(TaskSpec.builder().id(id).type("echo").payload(payload).build(), 1_000, 1);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void onlyCandidatesWhoseIdIsNewAreStoredAndAnsweredAsStored(TaskDatabase database) throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      TaskRecord old = pending("store-test-old", "first");
      old.startOn("node-1", 2_000, 60_000);
      old.completeWith("done long ago", 3_000);
      store.storeAll(Map.of(old.getId(), old));

      TaskRecord again = pending("store-test-old", "second");
      TaskRecord fresh = pending("store-test-new", "new");
      TaskRecord sameIdAsFresh = pending("store-test-new", "other");
      assertThat(store.recordIfAbsent(List.of(again, fresh, sameIdAsFresh))).containsExactly(fresh);

      Map<String, TaskRecord> rows = database.records();
      assertThat(rows.get(old.getId()).getStatus()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(rows.get(old.getId()).getResult()).isEqualTo("done long ago");
      assertThat(rows.get(fresh.getId()).isSameSubmissionAs(fresh)).isTrue();
      assertThat(new String(rows.get(fresh.getId()).getPayload(), StandardCharsets.UTF_8)).isEqualTo("new");
    }
  }
}
