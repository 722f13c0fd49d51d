package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.Http.HeldPost;
import io.taskgrid.node.support.Http.Response;
import io.taskgrid.node.support.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The REST API over real HTTP on a two-node cluster: answers, errors, and that errors store nothing. */
class RestApiTest {
  private static TestCluster cluster;
  private static Http node1;
  private static Http node2;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster().with("taskgrid.capacity", 2).start(2);
    node1 = cluster.node(1).http();
    node2 = cluster.node(2).http();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  static Map<String, Object> task(String id, String type, String payload) {
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("id", id);
    task.put("type", type);
    task.put("payload", payload);
    return task;
  }

  private static long storedTasks() {
    return cluster.node(1).store().map().size();
  }

  @Test
  void submitAnswers201WithLocationAndTheTaskCompletesOnAnyNode() {
    Response created = node1.post("/api/tasks", task("rest-echo", "echo", "hello"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.raw().headers().firstValue("location")).contains("/api/tasks/rest-echo");
    // RUNNING when the owner had a free slot for it at once (other tests share these nodes).
    assertThat(created.body().get("status").asString()).isIn("PENDING", "RUNNING");
    assertThat(created.body().get("payloadBytes").asInt()).isEqualTo(5);
    // Served by a filter in front of Spring MVC (SubmitEndpoint), and still timed under its path.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Response timed = node1.get("/actuator/metrics/http.server.requests?tag=uri:/api/tasks&tag=method:POST&tag=status:201");
      assertThat(timed.status()).isEqualTo(200);
      assertThat(timed.body().get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode view = node2.get("/api/tasks/rest-echo").body();
      assertThat(view.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(view.get("result").asString()).isEqualTo("hello");
      assertThat(view.get("attempts").asInt()).isEqualTo(1);
      assertThat(view.get("node").asString()).isIn(cluster.node(1).id(), cluster.node(2).id());
      for (String field : List.of("id", "type", "priority", "deadline", "status", "attempts", "maxAttempts", "node",
          "submittedAt", "startedAt", "finishedAt", "result", "error", "payloadBytes")) {
        assertThat(view.has(field)).as(field).isTrue();
      }
    });
  }

  @Test
  void requestThreadsArePublishedAsJettysThreadPoolMetrics() {
    assertThat(node1.post("/api/tasks", task("rest-threads", "echo", "")).status()).isEqualTo(201);

    // The request asking is itself served by one of Jetty's threads, so at least one is busy.
    Response busy = node1.get("/actuator/metrics/jetty.threads.busy");
    assertThat(busy.status()).isEqualTo(200);
    assertThat(busy.body().get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
    Response max = node1.get("/actuator/metrics/jetty.threads.config.max");
    assertThat(max.body().get("measurements").get(0).get("value").asDouble()).isEqualTo(200);
  }

  /** Requests counted in http.server.requests on node 2 with these tags (0 before the first). */
  private static long timedRequests(String tags) {
    Response timed = node2.get("/actuator/metrics/http.server.requests?tag=method:POST&" + tags);
    return timed.status() == 404 ? 0 : (long) timed.body().get("measurements").get(0).get("value").asDouble();
  }

  @Test
  void everySubmissionIsTimedOnceUnderItsPathAndStatus() {
    String createdHere = "tag=uri:/api/tasks&tag=status:201&tag=outcome:SUCCESS&tag=exception:none";
    String refusedHere = "tag=uri:/api/tasks&tag=status:400&tag=outcome:CLIENT_ERROR&tag=exception:none";
    long created = timedRequests(createdHere);
    long refused = timedRequests(refusedHere);
    long createdAnywhere = timedRequests("tag=status:201");
    for (int i = 0; i < 3; i++) {
      assertThat(node2.post("/api/tasks", task("rest-timed-" + i, "echo", "x")).status()).isEqualTo(201);
    }
    assertThat(node2.post("/api/tasks", task("rest-timed-bad", "no-such-handler", "")).status()).isEqualTo(400);

    // Counted once each, under its path (not a second time by Spring's own observation of the
    // request, under any path), and it stays so.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
        timedRequests(createdHere) == created + 3 && timedRequests(refusedHere) == refused + 1
            && timedRequests("tag=status:201") == createdAnywhere + 3);
  }

  @Test
  void identicalResubmissionAnswers200AndADifferentSpecAnswers409() {
    Map<String, Object> task = task("rest-idem", "sleep", "10");
    task.put("priority", 7);
    assertThat(node1.post("/api/tasks", task).status()).isEqualTo(201);

    Response again = node2.post("/api/tasks", task);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id").asString()).isEqualTo("rest-idem");

    task.put("priority", 8);
    Response conflict = node1.post("/api/tasks", task);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.contentType()).startsWith("application/problem+json");
    assertThat(conflict.body().get("field").asString()).isEqualTo("id");
    assertThat(node1.get("/api/tasks/rest-idem").body().get("priority").asInt()).isEqualTo(7);
  }

  @Test
  void badInputIsAProblemNamingTheFieldAndStoresNothing() {
    long before = storedTasks();
    Map<String, Object> unknownType = task("bad-1", "no-such-handler", "");
    Map<String, Object> badPriority = task("bad-2", "echo", "");
    badPriority.put("priority", 300);
    Map<String, Object> badId = task("bad id with spaces", "echo", "");
    Map<String, Object> badDeadline = task("bad-3", "echo", "");
    badDeadline.put("deadline", "tomorrow");
    Map<String, Object> badAttempts = task("bad-4", "echo", "");
    badAttempts.put("maxAttempts", 0);

    assertProblem(node1.post("/api/tasks", unknownType), 400, "type");
    assertProblem(node1.post("/api/tasks", badPriority), 400, "priority");
    assertProblem(node1.post("/api/tasks", badId), 400, "id");
    assertProblem(node1.post("/api/tasks", badDeadline), 400, "deadline");
    assertProblem(node1.post("/api/tasks", badAttempts), 400, "maxAttempts");
    assertProblem(node1.post("/api/tasks", "{\"id\": \"bad-5\", \"priority\": \"high\"}"), 400, "priority");
    assertProblem(node1.post("/api/tasks", "{\"id\": \"bad-6\", "), 400, "body");
    assertProblem(node1.post("/api/tasks", ""), 400, "body");
    assertProblem(node1.post("/api/tasks", "null"), 400, "body");
    assertProblem(node1.post("/api/tasks", "text/plain", "{\"id\": \"bad-7\", \"type\": \"echo\"}"), 415, "Content-Type");
    assertProblem(node1.get("/api/tasks?status=SLEEPING"), 400, "status");
    Response badLimit = node1.get("/api/tasks?limit=0");
    assertProblem(badLimit, 400, "limit");
    assertThat(badLimit.body().get("title").asString()).isEqualTo("Invalid parameter");

    assertThat(storedTasks()).isEqualTo(before);
    assertThat(node1.get("/api/tasks/bad-1").status()).isEqualTo(404);
  }

  @Test
  void aBodyIsReadAsWrittenNotCoercedAndAnUnknownFieldIsAnError() {
    long before = storedTasks();

    Response misspelt = node1.post("/api/tasks", "{\"id\": \"strict-1\", \"type\": \"echo\", \"priorty\": 5}");
    assertProblem(misspelt, 400, "priorty");
    assertThat(misspelt.body().get("reason").asString()).contains("maxAttempts", "priority");
    Response fraction = node1.post("/api/tasks", "{\"id\": \"strict-2\", \"type\": \"echo\", \"priority\": 1.5}");
    assertProblem(fraction, 400, "priority");
    assertThat(fraction.body().get("reason").asString()).isEqualTo("must be a JSON integer");
    assertProblem(node1.post("/api/tasks", "{\"id\": \"strict-3\", \"type\": \"echo\", \"priority\": \"10\"}"),
        400, "priority");
    assertProblem(node1.post("/api/tasks", "{\"id\": \"strict-4\", \"type\": \"echo\", \"maxAttempts\": true}"),
        400, "maxAttempts");
    Response numberPayload = node1.post("/api/tasks", "{\"id\": \"strict-5\", \"type\": \"echo\", \"payload\": 5}");
    assertProblem(numberPayload, 400, "payload");
    assertThat(numberPayload.body().get("reason").asString()).isEqualTo("must be a JSON string");
    assertProblem(node1.post("/api/tasks", "[]"), 400, "body");
    assertProblem(node1.post("/api/tasks/batch", "[{\"id\": \"strict-6\", \"type\": \"echo\", \"colour\": \"red\"}]"),
        400, "[0].colour");
    Response notAnArray = node1.post("/api/tasks/batch", "{\"id\": \"strict-7\", \"type\": \"echo\"}");
    assertProblem(notAnArray, 400, "body");
    assertThat(notAnArray.body().get("reason").asString()).isEqualTo("must be a JSON array of tasks");

    assertThat(storedTasks()).isEqualTo(before);
    assertThat(node1.get("/api/tasks/strict-1").status()).isEqualTo(404);
  }

  @Test
  void aPayloadOverOneMebibyteIs413AndStoresNothing() {
    long before = storedTasks();
    String payload = "é".repeat((1 << 19) + 1); // 2 bytes each in UTF-8: one byte over 1 MiB

    assertProblem(node1.post("/api/tasks", task("too-big", "echo", payload)), 413, "payload");
    assertThat(node1.post("/api/tasks", task("just-fits", "echo", "x".repeat(1 << 20))).status()).isEqualTo(201);
    assertThat(storedTasks()).isEqualTo(before + 1);
  }

  @Test
  void aBodyOverItsEndpointsLimitIs413AndStoresNothing() {
    long before = storedTasks();
    String mebibyte = "x".repeat(1 << 20);
    String nineMebibytes = "{\"id\": \"huge-1\", \"type\": \"echo\", \"payload\": \"" + mebibyte.repeat(9) + "\"}";

    assertThat(node1.postDeclaringOnly("/api/tasks", nineMebibytes.length())).isEqualTo(413);
    Response chunked = node1.postChunked("/api/tasks", nineMebibytes);
    assertProblem(chunked, 413, "body");
    assertThat(chunked.body().get("reason").asString()).isEqualTo("is larger than this endpoint's limit of 8388608 bytes");

    List<Map<String, Object>> heavy = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      heavy.add(task("heavy-" + i, "echo", mebibyte));
    }
    Response overPayloads = node1.post("/api/tasks/batch", heavy);
    assertProblem(overPayloads, 413, "body");
    assertThat(overPayloads.body().get("reason").asString()).endsWith("more than a batch's limit of 33554432; split it");
    for (int i = 40; i < 65; i++) {
      heavy.add(task("heavy-" + i, "echo", mebibyte));
    }
    String overBody = Http.JSON.writeValueAsString(heavy);
    assertThat(node1.postDeclaringOnly("/api/tasks/batch", overBody.length())).isEqualTo(413);
    assertProblem(node1.postChunked("/api/tasks/batch", overBody), 413, "body");

    assertThat(storedTasks()).isEqualTo(before);
    assertThat(node1.get("/api/tasks/heavy-0").status()).isEqualTo(404);
    assertThat(node1.get("/api/tasks/huge-1").status()).isEqualTo(404);
  }

  @Test
  void aChunkedBodyRefusedPartWayIsReadToItsEndSoThatItsAnswerArrives() {
    String nineMebibytes = "{\"id\": \"huge-2\", \"type\": \"echo\", \"payload\": \"" + "x".repeat(9 << 20) + "\"}";
    HeldPost held = node1.postChunkedHolding("/api/tasks", nineMebibytes, (8 << 20) + (256 << 10));

    // Past its limit, but the rest is still to come: answered now and closed, the connection was
    // reset under the client as it sent the rest, and the answer lost (CI, session 35).
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !held.answered());
    String answer = held.finishReading();
    assertThat(answer).startsWith("HTTP/1.1 413").contains("is larger than this endpoint's limit of 8388608 bytes");
    assertThat(node1.get("/api/tasks/huge-2").status()).isEqualTo(404);
  }

  @Test
  void unknownTaskIs404() {
    Response unknown = node1.get("/api/tasks/never-submitted");
    assertProblem(unknown, 404, "id");
    assertThat(unknown.body().get("detail").asString()).isEqualTo("id names no task: 'never-submitted'");
    assertProblem(node1.delete("/api/tasks/never-submitted"), 404, "id");
  }

  @Test
  void aBatchIsStoredWholeOrNotAtAll() {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(task("batch-" + i, "echo", "item " + i));
    }
    batch.add(task("batch-bad", "no-such-handler", ""));
    long before = storedTasks();

    assertProblem(node1.post("/api/tasks/batch", batch), 400, "[50].type");
    assertThat(storedTasks()).isEqualTo(before);

    batch.remove(50);
    Response created = node1.post("/api/tasks/batch", batch);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("tasks")).hasSize(50);
    assertThat(created.body().get("tasks").get(0).get("outcome").asString()).isEqualTo("CREATED");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (int i = 0; i < 50; i++) {
        JsonNode view = node2.get("/api/tasks/batch-" + i).body();
        assertThat(view.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(view.get("result").asString()).isEqualTo("item " + i);
      }
    });

    // Sent again unchanged: existing, nothing stored twice.
    Http.Response again = node2.post("/api/tasks/batch", batch.subList(0, 5));
    assertThat(again.status()).isEqualTo(201);
    for (JsonNode item : again.body().get("tasks")) {
      assertThat(item.get("outcome").asString()).isEqualTo("EXISTING");
    }
    List<Map<String, Object>> clash = List.of(task("batch-new", "echo", ""), task("batch-0", "echo", "changed"));
    assertProblem(node1.post("/api/tasks/batch", clash), 409, "id");
    assertThat(node1.get("/api/tasks/batch-new").status()).isEqualTo(404);
  }

  @Test
  void listingPagesThroughTasksByIdWithACursor() {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      batch.add(task(String.format("page-%02d", i), "echo", ""));
    }
    assertThat(node1.post("/api/tasks/batch", batch).status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        node1.get("/api/tasks/page-24").body().get("status").asString().equals("COMPLETED"));

    Set<String> seen = new HashSet<>();
    String cursor = "page-";
    List<String> order = new ArrayList<>();
    do {
      JsonNode page = node2.get("/api/tasks?status=COMPLETED&limit=10&cursor=" + cursor).body();
      page.get("items").forEach(item -> {
        if (item.get("id").asString().startsWith("page-")) {
          order.add(item.get("id").asString());
          seen.add(item.get("id").asString());
        }
        assertThat(item.get("status").asString()).isEqualTo("COMPLETED");
      });
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
    } while (cursor != null && cursor.startsWith("page-"));

    assertThat(seen).hasSize(25);
    assertThat(order).isSorted();
  }

  @Test
  void cancellingAPendingTaskEndsItAtOnceAndCancellingItAgainIs409() {
    Map<String, Object> blocked = task("cancel-pending", "echo", "never");
    blocked.put("deadline", "2099-01-01T00:00:00Z");
    // Fill both nodes' slots first so that the task stays pending.
    List<Map<String, Object>> blockers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Map<String, Object> blocker = task("cancel-blocker-" + i, "sleep", "60000");
      blocker.put("priority", 255);
      blockers.add(blocker);
    }
    node1.post("/api/tasks/batch", blockers);
    await().atMost(Duration.ofSeconds(10)).until(() -> blockers.stream().allMatch(b ->
        node1.get("/api/tasks/" + b.get("id")).body().get("status").asString().equals("RUNNING")));
    node1.post("/api/tasks", blocked);

    Response cancelled = node2.delete("/api/tasks/cancel-pending");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancelled.body().get("attempts").asInt()).isZero();
    assertProblem(node2.delete("/api/tasks/cancel-pending"), 409, "id");

    // Cancelling the running blockers interrupts their handlers and frees the slots.
    for (Map<String, Object> blocker : blockers) {
      assertThat(node1.delete("/api/tasks/" + blocker.get("id")).body().get("status").asString())
          .isEqualTo("CANCELLED");
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        cluster.running().forEach(n -> assertThat(n.worker().running()).isZero()));
    for (Map<String, Object> blocker : blockers) {
      assertThat(node2.get("/api/tasks/" + blocker.get("id")).body().get("status").asString()).isEqualTo("CANCELLED");
    }
  }

  @Test
  void clusterEndpointListsEveryNodeAndCountsTasksByStatus() {
    JsonNode cluster = node2.get("/api/cluster").body();

    assertThat(cluster.get("nodes")).hasSize(2);
    JsonNode node = cluster.get("nodes").get(0);
    for (String field : List.of("id", "address", "httpUrl", "capacity", "running", "pendingOwned")) {
      assertThat(node.has(field)).as(field).isTrue();
    }
    assertThat(node.get("capacity").asInt()).isEqualTo(2);
    assertThat(node.get("httpUrl").asString()).startsWith("http://");
    assertThat(cluster.get("tasks").has("PENDING")).isTrue();
    assertThat(cluster.get("tasks").has("COMPLETED")).isTrue();
  }

  @Test
  void aLongPollAnswersWhenTheTaskEndsOrWithTheTaskAsItStandsWhenTheWaitRunsOut() {
    node1.post("/api/tasks", task("poll-short", "sleep", "1500"));
    long start = System.nanoTime();
    Response ended = node2.get("/api/tasks/poll-short?waitSeconds=25");
    // COMPLETED at once after the submission: the answer waited for the end, and not for the 25 s.
    assertThat(ended.status()).isEqualTo(200);
    assertThat(ended.body().get("status").asString()).isEqualTo("COMPLETED");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));

    node1.post("/api/tasks", task("poll-long", "sleep", "60000"));
    start = System.nanoTime();
    Response unfinished = node1.get("/api/tasks/poll-long?waitSeconds=1");
    assertThat(unfinished.status()).isEqualTo(200);
    assertThat(unfinished.body().get("status").asString()).isIn("PENDING", "RUNNING");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(20));

    // A cancel ends the task, and the wait with it. The gauge counts exactly this wait: the one
    // that ran out above no longer waits.
    long cancelStart = System.nanoTime();
    CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> node1.get("/api/tasks/poll-long?waitSeconds=25"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openWaits(node1)).isEqualTo(1));
    assertThat(node2.delete("/api/tasks/poll-long").status()).isEqualTo(200);
    Response cancelled = waiting.join();
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(Duration.ofNanos(System.nanoTime() - cancelStart)).isLessThan(Duration.ofSeconds(20));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openWaits(node1)).isZero());

    assertProblem(node1.get("/api/tasks/poll-nobody?waitSeconds=25"), 404, "id");
    Response tooLong = node1.get("/api/tasks/poll-short?waitSeconds=61");
    assertProblem(tooLong, 400, "waitSeconds");
    assertThat(tooLong.body().get("title").asString()).isEqualTo("Invalid parameter");
    assertProblem(node1.get("/api/tasks/poll-short?waitSeconds=-1"), 400, "waitSeconds");
    assertProblem(node1.get("/api/tasks/poll-short?waitSeconds=soon"), 400, "waitSeconds");
    assertThat(openWaits(node1)).isZero();
  }

  @Test
  void aStoppingNodeAnswersItsLongPollsRatherThanWaitingThemOut() {
    try (TestCluster lonely = new TestCluster().start(1)) {
      Http http = lonely.node(1).http();
      http.post("/api/tasks", task("poll-stop", "sleep", "120000"));
      CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> http.get("/api/tasks/poll-stop?waitSeconds=60"));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openWaits(http)).isEqualTo(1));

      long start = System.nanoTime();
      lonely.node(1).stop();

      // The drain takes 2 s here; the poll would have held the web server's shutdown for 60.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
      Response answered = waiting.join();
      assertThat(answered.status()).isEqualTo(200);
      assertThat(answered.body().get("status").asString()).isIn("PENDING", "RUNNING");
    }
  }

  private static double openWaits(Http node) {
    Response gauge = node.get("/actuator/metrics/taskgrid.waits.open");
    assertThat(gauge.status()).isEqualTo(200);
    return gauge.body().get("measurements").get(0).get("value").asDouble();
  }

  private static void assertProblem(Response response, int status, String field) {
    assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body().get("field").asString()).isEqualTo(field);
    assertThat(response.body().get("reason").asString()).isNotBlank();
  }

  @Test
  void aNodeWhoseMemberHasStoppedAnswers503AndStoresNothing() {
    try (TestCluster lonely = new TestCluster().start(1)) {
      lonely.node(1).hazelcast().getLifecycleService().terminate();

      Response refused = lonely.node(1).http().post("/api/tasks", task("not-now", "echo", ""));

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.raw().headers().firstValue("retry-after")).contains("1");
    }
  }
}
