package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.Waiters;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
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
    List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    submitSleeps(http, ids, millis);
    return ids;
  }

  private static void submitSleeps(Http http, List<String> ids, int millis) {
    List<Map<String, Object>> batch = new ArrayList<>();
    ids.forEach(id -> batch.add(Map.of("id", id, "type", "sleep", "payload", String.valueOf(millis))));
    assertThat(http.post("/api/tasks/batch", batch).status()).isEqualTo(201);
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
    ExecutorService polling = Executors.newFixedThreadPool(24); // one thread for each of the 24 long polls below
    try (TaskGridClient client = cluster.connectClient()) {
      List<String> ids = idsOnAndOff(client.hazelcast(), cluster.node(3), "kill-", 4, 8);
      submitSleeps(http, ids, 4000);
      String victimId = nodeIdOf(http, cluster.node(3));
      List<String> lost = runningOn(http, ids, victimId);
      // Long polls on both survivors for every task, each counted in at its task's owner (node 3
      // for a third of them) before the kill.
      Map<String, List<CompletableFuture<JsonNode>>> polls = new HashMap<>();
      for (String id : ids) {
        for (int node = 1; node <= 2; node++) {
          Http poller = cluster.node(node).http();
          polls.computeIfAbsent(id, k -> new ArrayList<>()).add(CompletableFuture.supplyAsync(
              () -> poller.get("/api/tasks/" + id + "?waitSeconds=60").body(), polling));
        }
      }
      IMap<String, Waiters> waits = client.hazelcast().getMap("taskgrid-waits");
      await().atMost(Duration.ofSeconds(10)).until(() ->
          ids.stream().allMatch(id -> waits.get(id) != null && waits.get(id).ids().size() == 2));

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
      // Every poll was told of its task's end (one that was not would answer it unfinished after 60 s),
      // those whose waits node 3 held too.
      await().atMost(Duration.ofSeconds(10)).until(() ->
          polls.values().stream().flatMap(List::stream).allMatch(CompletableFuture::isDone));
      polls.forEach((id, answers) -> answers.forEach(answer ->
          assertThat(answer.join().get("status").asString()).as(id).isEqualTo("COMPLETED")));
    } finally {
      polling.shutdownNow();
    }
  }

  /** {@code on} ids whose partitions {@code node} owns, then {@code off} ids it does not. */
  private static List<String> idsOnAndOff(HazelcastInstance grid, NodeProcess node, String prefix, int on, int off) {
    List<String> owned = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (int i = 0; owned.size() < on || others.size() < off; i++) {
      String id = prefix + i;
      boolean onNode = grid.getPartitionService().getPartition(id).getOwner().getAddress().getPort() == node.hazelcastPort();
      List<String> into = onNode ? owned : others;
      if (into.size() < (onNode ? on : off)) {
        into.add(id);
      }
    }
    owned.addAll(others);
    return owned;
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
