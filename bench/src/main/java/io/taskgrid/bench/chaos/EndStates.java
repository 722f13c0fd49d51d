package io.taskgrid.bench.chaos;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Reads tasks over REST until each has ended (or is known to be absent): the state the chaos
 * run's check compares with what the {@link Ledger} says their callers were told.
 */
final class EndStates {
  /** A task as read at its end; {@code status} is ABSENT for a 404. */
  record End(String status, int attempts) {
    static final End ABSENT = new End("ABSENT", 0);

    boolean ended() {
      return status.equals("COMPLETED") || status.equals("FAILED") || status.equals("CANCELLED")
          || this == ABSENT;
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int READERS = 8;

  private final List<String> nodes;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  EndStates(List<String> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Reads every id until it has ended or {@code timeout} has passed; answers the end of each,
   * and the last state read of those that had not ended by then.
   */
  Map<String, End> read(Collection<String> ids, Duration timeout) throws InterruptedException {
    Map<String, End> states = new ConcurrentHashMap<>();
    Set<String> open = ConcurrentHashMap.newKeySet();
    open.addAll(ids);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      List<String> round = new ArrayList<>(open);
      ExecutorService readers = Executors.newFixedThreadPool(READERS);
      for (int r = 0; r < READERS; r++) {
        int first = r;
        readers.execute(() -> {
          for (int k = first; k < round.size(); k += READERS) {
            String id = round.get(k);
            End end = read(nodes.get(k % nodes.size()), id);
            if (end != null) {
              states.put(id, end);
              if (end.ended()) {
                open.remove(id);
              }
            }
          }
        });
      }
      readers.shutdown();
      readers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!open.isEmpty()) {
        System.out.printf("chaos: %,d tasks not ended yet%n", open.size());
        TimeUnit.SECONDS.sleep(5);
      }
    }
    return states;
  }

  /** The task's state, or null when the node did not answer. */
  private End read(String node, String id) {
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(node + "/api/tasks/" + id))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 404) {
        return End.ABSENT;
      }
      if (answer.statusCode() != 200) {
        return null;
      }
      JsonNode task = JSON.readTree(answer.body());
      return new End(task.get("status").asString(), task.get("attempts").asInt());
    } catch (IOException | JacksonException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
