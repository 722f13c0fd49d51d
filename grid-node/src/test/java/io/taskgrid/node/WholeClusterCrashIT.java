package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.grid.TaskRecord;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.ProcessCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node of a cluster is killed with kill -9 while it works through 5,000 acknowledged tasks;
 * a new cluster on the same embedded database brings every one of them to its right end.
 */
class WholeClusterCrashIT {
  private static final int TASKS = 5_000;

  @TempDir Path dataDir;

  private String[] nodeArgs() {
    return new String[] {
      "--taskgrid.capacity=10",
      "--taskgrid.retry.base=100ms"
    };
  }

  /** Task i: what it is, and how it must end. */
  private static Map<String, Object> task(int i) {
    return switch (i % 4) {
      case 0 -> Map.of("id", "crash-" + i, "type", "echo", "payload", "result " + i);
      case 1 -> Map.of("id", "crash-" + i, "type", "sleep", "payload", String.valueOf(i % 50));
      case 2 -> Map.of("id", "crash-" + i, "type", "flaky", "payload", "1");
      default -> Map.of("id", "crash-" + i, "type", "fail", "payload", "boom " + i, "maxAttempts", 2);
    };
  }

  private static void assertRightEnd(int i, TaskView t) {
    switch (i % 4) {
      case 0 -> assertThat(t.result()).isEqualTo("result " + i);
      case 1 -> assertThat(t.result()).isEqualTo("slept " + (i % 50) + " ms");
      case 2 -> assertThat(t.result()).startsWith("succeeded on attempt ");
      default -> {
        assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
        // Its last attempt either failed by itself, or was running at the crash: a lost attempt counts.
        assertThat(t.error()).satisfiesAnyOf(
            error -> assertThat(error).isEqualTo("boom " + i),
            error -> assertThat(error).contains("left the cluster while running attempt 2"));
        return;
      }
    }
    assertThat(t.status()).as(t.toString()).isEqualTo(TaskStatus.COMPLETED);
  }

  private Map<String, TaskView> stored() throws SQLException {
    Map<String, TaskView> tasks = new HashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("taskgrid.db"));
        ResultSet rows = db.createStatement().executeQuery("SELECT record FROM taskgrid_tasks")) {
      while (rows.next()) {
        TaskView view = TaskRecord.fromBytes(rows.getBytes(1)).toView();
        tasks.put(view.id(), view);
      }
    }
    return tasks;
  }

  private static long finished(Map<String, TaskView> tasks) {
    return tasks.values().stream().filter(t -> t.status().isTerminal()).count();
  }

  @Test
  void noAcknowledgedTaskIsLostWhenEveryNodeIsKilledMidRun() throws SQLException {
    try (ProcessCluster first = ProcessCluster.start(3, dataDir.resolve("taskgrid.db"), nodeArgs())) {
      Http http = first.node(1).http();
      for (int from = 0; from < TASKS; from += 1_000) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = from; i < from + 1_000; i++) {
          batch.add(task(i));
        }
        assertThat(http.post("/api/tasks/batch", batch).status()).isEqualTo(201);
      }
      // Acknowledged means stored: all 5,000 are in the database now.
      assertThat(stored()).hasSize(TASKS);
      await().atMost(Duration.ofSeconds(60)).until(() -> finished(stored()) >= TASKS / 5);
      first.killAll();
    }
    long finishedAtCrash = finished(stored());
    assertThat(finishedAtCrash).as("the crash came mid-run").isLessThan(TASKS);

    try (ProcessCluster second = ProcessCluster.start(3, dataDir.resolve("taskgrid.db"), nodeArgs())) {
      await().atMost(Duration.ofSeconds(180)).until(() -> finished(stored()) == TASKS);

      Map<String, TaskView> tasks = stored();
      for (int i = 0; i < TASKS; i++) {
        assertRightEnd(i, tasks.get("crash-" + i));
      }
      // Finished tasks are not in memory after the restart; the API loads them from the database.
      assertThat(second.node(2).http().get("/api/tasks/crash-0").body().get("result").asString()).isEqualTo("result 0");
      long reRun = tasks.values().stream()
          .filter(t -> t.type().equals("echo") || t.type().equals("sleep"))
          .filter(t -> t.attempts() > 1).count();
      System.out.printf("whole-cluster crash: %d of %d finished at the crash; %d echo/sleep tasks ran more than once%n",
          finishedAtCrash, TASKS, reRun);
    }
  }
}
