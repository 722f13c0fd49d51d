package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.NodeProcess;
import io.taskgrid.node.support.ProcessCluster;
import io.taskgrid.node.support.TaskDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Node JVMs started from the packaged jar, killed with {@code kill -9} or frozen with {@code kill
 * -STOP}, where process death is the point.
 */
class ProcessFailureIT {
  private ProcessCluster cluster;

  @AfterEach
  void killAll() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ProcessCluster startCluster() {
    cluster = ProcessCluster.start(3, TaskDatabase.sqlite(), "--taskgrid.capacity=10",
        "--logging.level.com.hazelcast=INFO");
    return cluster;
  }

  private static List<String> submitSleeps(Http http, String prefix, int count, int millis) {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(Map.of("id", prefix + i, "type", "sleep", "payload", String.valueOf(millis)));
    }
    assertThat(http.post("/api/tasks/batch", batch).status()).isEqualTo(201);
    return batch.stream().map(t -> (String) t.get("id")).toList();
  }

  private static Map<String, JsonNode> views(Http http, List<String> ids) {
    Map<String, JsonNode> views = new HashMap<>();
    ids.forEach(id -> views.put(id, http.get("/api/tasks/" + id).body()));
    return views;
  }

  private static String nodeIdOf(Http http, NodeProcess node) {
    for (JsonNode n : http.get("/api/cluster").body().get("nodes")) {
      if (n.get("httpUrl").asString().equals(node.baseUrl())) {
        return n.get("id").asString();
      }
    }
    throw new AssertionError("no node with URL " + node.baseUrl());
  }

  /** Waits until every task runs, then answers those running on the node with this id (at least one). */
  private static List<String> runningOn(Http http, List<String> ids, String nodeId) {
    await().atMost(Duration.ofSeconds(10)).until(() ->
        views(http, ids).values().stream().allMatch(v -> v.get("status").asString().equals("RUNNING")));
    List<String> on = views(http, ids).values().stream()
        .filter(v -> v.get("node").asString().equals(nodeId))
        .map(v -> v.get("id").asString()).toList();
    assertThat(on).isNotEmpty();
    return on;
  }

  @Test
  void aKilledNodesTasksRunAgainWithinASecondAndNothingIsLost() {
    ProcessCluster cluster = startCluster();
    Http http = cluster.node(1).http();
    List<String> ids = submitSleeps(http, "kill-", 12, 4000);
    String victimId = nodeIdOf(http, cluster.node(3));
    List<String> lost = runningOn(http, ids, victimId);

    Instant killedAt = Instant.now();
    cluster.node(3).kill();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Map<String, JsonNode> now = views(http, lost);
      for (JsonNode v : now.values()) {
        assertThat(v.get("attempts").asInt()).isEqualTo(2);
        assertThat(v.get("node").asString()).isNotEqualTo(victimId);
      }
    });
    Map<String, JsonNode> restarted = views(http, lost);
    for (JsonNode v : restarted.values()) {
      // The survivors have free slots: the lost attempt runs again as soon as the death is noticed.
      Duration restartDelay = Duration.between(killedAt, Instant.parse(v.get("startedAt").asString()));
      assertThat(restartDelay).as("restart delay of " + v.get("id")).isLessThan(Duration.ofSeconds(2));
      assertThat(v.get("error").asString()).contains("left the cluster");
    }
    await().atMost(Duration.ofSeconds(20)).until(() ->
        views(http, ids).values().stream().allMatch(v -> v.get("status").asString().equals("COMPLETED")));
    views(http, ids).values().forEach(v ->
        assertThat(v.get("attempts").asInt()).isEqualTo(lost.contains(v.get("id").asString()) ? 2 : 1));
  }

  @Test
  void aFrozenNodesTasksRunElsewhereAndItsLateReportsChangeNothing() {
    ProcessCluster cluster = startCluster();
    Http http = cluster.node(1).http();
    List<String> ids = submitSleeps(http, "freeze-", 18, 4000);
    NodeProcess frozen = cluster.node(3);
    String frozenId = nodeIdOf(http, frozen);
    List<String> taken = runningOn(http, ids, frozenId);

    frozen.pause();

    // Heartbeats stop; after about 5 s the others remove it and run its tasks again.
    await().atMost(Duration.ofSeconds(30)).until(() ->
        views(http, ids).values().stream().allMatch(v -> v.get("status").asString().equals("COMPLETED")));
    Map<String, JsonNode> before = views(http, taken);
    before.values().forEach(v -> {
      assertThat(v.get("attempts").asInt()).isEqualTo(2);
      assertThat(v.get("node").asString()).isNotEqualTo(frozenId);
    });

    // Woken, its handlers finish at once and report attempt 1 (to owners that refuse them, or to its own
    // stale copy of the map); then it finds it was cut off and merges back (hazelcast.yaml searches every
    // 10 s), and is a working member again, which every node lists, itself included.
    frozen.resume();
    for (int i = 1; i <= 3; i++) {
      Http node = cluster.node(i).http();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
          node.get("/api/cluster").body().get("nodes").size() == 3);
    }
    // The merge policy kept the newer attempt, and nothing changes it afterwards.
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Map<String, JsonNode> now = views(http, taken);
      for (String id : taken) {
        JsonNode view = now.get(id);
        assertThat(view.get("status").asString()).as(view.toString()).isEqualTo("COMPLETED");
        assertThat(view.get("attempts").asInt()).as(view.toString()).isEqualTo(2);
        assertThat(view.get("node").asString()).isEqualTo(before.get(id).get("node").asString());
        assertThat(view.get("finishedAt").asString()).isEqualTo(before.get(id).get("finishedAt").asString());
      }
    });
  }
}
