package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taskgrid.client.TaskGridClient;
import io.taskgrid.model.ClusterFullException;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.hazelcast.NodeIdentity;
import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * While one member's heap is over its {@code taskgrid.memory.refuse-above}, every node refuses new
 * tasks, over REST and from the Java client, and stores none of them; reads and cancels go on, and
 * submissions are taken again once no member is full. The nodes share this JVM's heap, so the full
 * one is made so by a share below what any collection leaves.
 */
class MemoryAdmissionTest {

  @Test
  void oneFullMemberStopsNewTasksOnEveryNodeUntilItIsNoLongerThere() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 2)) {
      TestNode taking = cluster.startNode();
      Http http = taking.http();
      assertThat(http.post("/api/tasks", Map.of("id", "before", "type", "sleep", "payload", "60000")).status())
          .isEqualTo(201);
      TestNode full = cluster.with("taskgrid.memory.refuse-above", "0.000001").startNode();
      String fullAddress = full.bean(NodeIdentity.class).address();

      System.gc();
      // Once the other node's board says so (published within 20 ms of the collection).
      await().atMost(Duration.ofSeconds(20)).until(() -> fullOnes(http).equals(List.of(fullAddress)));
      Http.Response refused = http.post("/api/tasks", Map.of("id", "refused", "type", "echo", "payload", "a"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.raw().headers().firstValue("retry-after")).contains("1");
      assertThat(refused.body().get("title").asString()).isEqualTo("Cluster memory full");
      assertThat(refused.body().get("reason").asString()).contains(fullAddress).contains("refuse-above")
          .contains("nothing was stored");
      // The full node refuses on its own account too.
      Http.Response refusedThere = full.http().post("/api/tasks/batch",
          List.of(Map.of("id", "refused-1", "type", "echo", "payload", "b"),
              Map.of("id", "refused-2", "type", "echo", "payload", "c")));
      assertThat(refusedThere.status()).isEqualTo(503);
      assertThat(refusedThere.body().get("reason").asString()).startsWith("this node's heap is");

      try (TaskGridClient client = TaskGridClient.connect(cluster.name(), cluster.addresses())) {
        assertThatThrownBy(() -> client.submit(TaskSpec.builder().id("refused-3").type("echo").payload("d").build()))
            .isInstanceOf(ClusterFullException.class)
            .hasMessageContaining("refuse-above");
        for (String id : List.of("refused", "refused-1", "refused-2", "refused-3")) {
          assertThat(http.get("/api/tasks/" + id).status()).as(id).isEqualTo(404);
          assertThat(client.get(id)).as(id).isEmpty();
        }
        // Reads and cancels go on; the cluster view says which node is full.
        assertThat(client.get("before")).isPresent();
        assertThat(http.delete("/api/tasks/before").status()).isEqualTo(200);
        assertThat(http.get("/api/cluster").body().get("nodes")).hasSize(2);

        full.stop();
        await().atMost(Duration.ofSeconds(20)).until(() ->
            http.post("/api/tasks", Map.of("id", "after", "type", "echo", "payload", "e")).status() == 201);
        assertThat(client.submit(TaskSpec.builder().id("after-client").type("echo").payload("f").build())
            .task().status()).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() ->
            client.get("after-client").orElseThrow().status() == TaskStatus.COMPLETED);
      }
    }
  }

  /** The addresses of the nodes that {@code GET /api/cluster} shows full. */
  private static List<String> fullOnes(Http http) {
    List<String> full = new ArrayList<>();
    for (JsonNode node : http.get("/api/cluster").body().get("nodes")) {
      if (node.get("memoryFull").asBoolean()) {
        full.add(node.get("address").asString());
      }
    }
    return full;
  }
}
