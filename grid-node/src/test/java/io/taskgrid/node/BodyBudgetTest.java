package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.Http.HeldPost;
import io.taskgrid.node.support.Http.Response;
import io.taskgrid.node.support.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's budget for submission bodies in progress (1,000,000 bytes here): a body that would pass
 * it while another holds some is refused with 503 and Retry-After and stores nothing, declared or
 * chunked, sent or only announced; a small one still fits beside; the budget comes back when a
 * request ends; and a body larger than the whole budget gets through alone.
 */
class BodyBudgetTest {
  private static final long BUDGET = 1_000_000;
  private static TestCluster cluster;
  private static Http node;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster().with("taskgrid.http.body-budget", BUDGET + "B").start(1);
    node = cluster.node(1).http();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  private static Map<String, Object> task(String id, int payloadBytes) {
    return RestApiTest.task(id, "echo", "x".repeat(payloadBytes));
  }

  private static double bodiesInProgress() {
    return node.get("/actuator/metrics/taskgrid.http.bodies").body().get("measurements").get(0).get("value").asDouble();
  }

  private static void assertBusy(Response refused) {
    assertThat(refused.status()).as(refused.raw().body()).isEqualTo(503);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.raw().headers().firstValue("retry-after")).contains("1");
    assertThat(refused.body().get("title").asString()).isEqualTo("Node busy");
    assertThat(refused.body().get("field").asString()).isEqualTo("body");
    assertThat(refused.body().get("reason").asString()).contains("budget of 1000000 bytes");
  }

  @Test
  void aBodyThatWouldPassTheBudgetBesideAnotherIsRefusedAndStoresNothing() {
    String heldJson = Http.JSON.writeValueAsString(List.of(task("held", 700_000)));
    HeldPost held = node.postHolding("/api/tasks/batch", heldJson, 1_000);
    int heldStatus;
    try {
      // Charged its declared length as soon as it is read from.
      await().atMost(Duration.ofSeconds(10)).until(() -> bodiesInProgress() == heldJson.length());
      assertRefusedBesideAHeldBody();
    } finally {
      heldStatus = held.finish();
    }
    assertThat(heldStatus).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> bodiesInProgress() == 0);
    assertThat(node.post("/api/tasks", task("refused-declared", 400_000)).status()).isEqualTo(201);
    assertThat(node.get("/api/tasks/held").body().get("payloadBytes").asInt()).isEqualTo(700_000);
  }

  private static void assertRefusedBesideAHeldBody() {
    assertBusy(node.post("/api/tasks", task("refused-declared", 400_000)));
    assertBusy(node.postChunked("/api/tasks", Http.JSON.writeValueAsString(task("refused-chunked", 400_000))));
    assertBusy(node.post("/api/tasks/batch", List.of(task("refused-batch", 400_000))));
    // A client that waits to be told to send the body is answered at once, and never sends it.
    assertThat(node.postExpectingContinue("/api/tasks", 400_000)).isEqualTo(503);
    assertThat(node.get("/api/tasks/refused-declared").status()).isEqualTo(404);
    assertThat(node.get("/api/tasks/refused-chunked").status()).isEqualTo(404);
    assertThat(node.get("/api/tasks/refused-batch").status()).isEqualTo(404);

    // What the held body leaves is still there for small bodies, declared or chunked.
    assertThat(node.post("/api/tasks", task("fits-beside", 1_000)).status()).isEqualTo(201);
    assertThat(node.postChunked("/api/tasks", Http.JSON.writeValueAsString(task("fits-chunked", 1_000))).status())
        .isEqualTo(201);
  }

  @Test
  void aBodyLargerThanTheWholeBudgetGetsThroughAlone() {
    Response alone = node.post("/api/tasks/batch", List.of(task("alone-1", 600_000), task("alone-2", 600_000)));

    assertThat(alone.status()).as(alone.raw().body()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> bodiesInProgress() == 0);
  }
}
