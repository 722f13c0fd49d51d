package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.ProcessCluster;
import io.taskgrid.node.support.TaskDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every node of a cluster is killed with kill -9 while it works through 5,000 acknowledged tasks;
 * a new cluster on the same embedded database brings every one of them to its right end.
 */
class WholeClusterCrashIT {
  private static final int TASKS = 5_000;

  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  private static String[] nodeArgs() {
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

  private static Map<String, TaskView> stored(TaskDatabase database) throws SQLException {
    Map<String, TaskView> tasks = new HashMap<>();
    database.records().forEach((id, record) -> tasks.put(id, record.toView()));
    return tasks;
  }

  private static long finished(Map<String, TaskView> tasks) {
    return tasks.values().stream().filter(t -> t.status().isTerminal()).count();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void noAcknowledgedTaskIsLostWhenEveryNodeIsKilledMidRun(TaskDatabase database) throws SQLException {
    try (ProcessCluster first = ProcessCluster.start(3, database, nodeArgs())) {
      Http http = first.node(1).http();
      for (int from = 0; from < TASKS; from += 1_000) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = from; i < from + 1_000; i++) {
          batch.add(task(i));
        }
        assertThat(http.post("/api/tasks/batch", batch).status()).isEqualTo(201);
      }
      // Acknowledged means stored: all 5,000 are in the database now.
      assertThat(stored(database)).hasSize(TASKS);
      await().atMost(Duration.ofSeconds(60)).until(() -> finished(stored(database)) >= TASKS / 5);
      first.killAll();
    }
    long finishedAtCrash = finished(stored(database));
    assertThat(finishedAtCrash).as("the crash came mid-run").isLessThan(TASKS);

    try (ProcessCluster second = ProcessCluster.start(3, database, nodeArgs())) {
      await().atMost(Duration.ofSeconds(180)).until(() -> finished(stored(database)) == TASKS);

      Map<String, TaskView> tasks = stored(database);
      for (int i = 0; i < TASKS; i++) {
        assertRightEnd(i, tasks.get("crash-" + i));
      }
      // Finished tasks are not in memory after the restart; the API loads them from the database.
      assertThat(second.node(2).http().get("/api/tasks/crash-0").body().get("result").asString()).isEqualTo("result 0");
      long reRun = tasks.values().stream()
          .filter(t -> t.type().equals("echo") || t.type().equals("sleep"))
          .filter(t -> t.attempts() > 1).count();
      System.out.printf("whole-cluster crash on %s: %d of %d finished at the crash; %d echo/sleep tasks ran more "
          + "than once%n", database, finishedAtCrash, TASKS, reRun);
    }
  }
}
