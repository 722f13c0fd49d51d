package io.taskgrid.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The PostgreSQL server goes away under a running cluster: submissions, cancels and listings of
 * finished tasks answer 503 and change nothing; when it comes back the node recovers by itself. Needs the test server of
 * scripts/test-postgres.sh, which this test stops and resumes: tagged to run alone, after the
 * tests that share that server.
 */
@Tag("alone")
@EnabledIfEnvironmentVariable(named = "TASKGRID_TEST_POSTGRES_URL", matches = ".+")
class DatabaseOutageTest {
  @Test
  void submissionsAndCancelsAnswer503WhileTheDatabaseIsAwayAndWorkAgainWhenItIsBack() throws Exception {
    TaskDatabase database = TaskDatabase.postgres();
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      Http http = cluster.node(1).http();
      assertThat(http.post("/api/tasks", Map.of("id", "before", "type", "echo", "payload", "a")).status()).isEqualTo(201);
      assertThat(http.post("/api/tasks", Map.of("id", "long", "type", "sleep", "payload", "60000")).status())
          .isEqualTo(201);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          http.get("/api/tasks/long").body().get("status").asString().equals("RUNNING"));

      TaskDatabase.postgresServer("stop");
      try {
        Http.Response refused = http.post("/api/tasks", Map.of("id", "during", "type", "echo", "payload", "b"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        // A cancel is stored before it takes effect: refused, the task runs on.
        Http.Response notCancelled = http.delete("/api/tasks/long");
        assertThat(notCancelled.status()).isEqualTo(503);
        assertThat(notCancelled.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/api/tasks/long").body().get("status").asString()).isEqualTo("RUNNING");
        assertThat(cluster.node(1).worker().freeSlots()).isEqualTo(cluster.node(1).worker().capacity() - 1);
        // Every unfinished task is in memory, so they are listed; finished ones are read from the
        // database too, and such a listing is refused rather than answered in part.
        Http.Response running = http.get("/api/tasks?status=RUNNING&limit=10");
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.body().get("items").get(0).get("id").asString()).isEqualTo("long");
        Http.Response everything = http.get("/api/tasks?limit=10");
        assertThat(everything.status()).isEqualTo(503);
        assertThat(everything.contentType()).startsWith("application/problem+json");
      } finally {
        TaskDatabase.postgresServer("resume");
      }

      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
          http.post("/api/tasks", Map.of("id", "after", "type", "echo", "payload", "c")).status() == 201);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          http.get("/api/tasks/after").body().get("status").asString().equals("COMPLETED"));
      await().atMost(Duration.ofSeconds(10)).until(() -> database.records().containsKey("after"));
      assertThat(database.records()).doesNotContainKey("during");
      assertThat(http.get("/api/tasks/during").status()).isEqualTo(404);
      assertThat(http.get("/api/tasks/long").body().get("status").asString()).isEqualTo("RUNNING");
      assertThat(http.delete("/api/tasks/long").status()).isEqualTo(200);
      assertThat(database.records().get("long").getStatus()).isEqualTo(TaskStatus.CANCELLED);
    }
  }
}
