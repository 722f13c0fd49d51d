package io.taskgrid.bench.chaos;

import tools.jackson.databind.json.JsonMapper;
import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.bench.cluster.NodeMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits between a chaos run's faults until the cluster is whole again: every live node ready (its
 * partitions settled, so that the next fault finds a backup for everything) and seeing all the
 * others, a frozen node's merge included.
 */
final class ClusterWhole {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private ClusterWhole() {}

  static void await(NodeCluster cluster) throws InterruptedException {
    List<String> nodes = cluster.httpUrls();
    poll("every node ready and seeing " + nodes.size() + " nodes", () -> nodes.stream().allMatch(node ->
        status(node + "/actuator/health/readiness") == 200 && members(node) == nodes.size()),
        () -> nodes.stream().map(node -> node + " readiness " + status(node + "/actuator/health/readiness")
            + ", nodes " + members(node)).toList().toString());
  }

  /** Until no node has a change waiting for write-behind. */
  static void awaitWritten(NodeCluster cluster) throws InterruptedException {
    poll("every change written to the database", () -> NodeMetrics.scrape(cluster.httpUrls()).unwritten() == 0,
        () -> NodeMetrics.scrape(cluster.httpUrls()).unwritten() + " changes unwritten");
  }

  /** Polls {@code done} until it holds; after the timeout, fails with what {@code state} says. */
  private static void poll(String what, BooleanSupplier done, Supplier<String> state) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not " + what + " after " + TIMEOUT.toMinutes() + " minutes: " + state.get());
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private static int status(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int members(String node) {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/api/cluster")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      return JSON.readTree(body).get("nodes").size();
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
