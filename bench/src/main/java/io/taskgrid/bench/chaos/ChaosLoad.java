package io.taskgrid.bench.chaos;

import tools.jackson.databind.json.JsonMapper;
import io.taskgrid.bench.chaos.Ledger.Expect;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The load of a chaos run: a few threads submitting over REST to any live node on a schedule
 * (single tasks, and now and then a batch of 20), and cancelling one in ten of the tasks they have
 * just submitted, recording every answer in the {@link Ledger}. Tasks are {@code sleep} tasks of
 * 1 ms to 1 s with 100 attempts, so that only the cluster, never the handler, can fail one.
 */
final class ChaosLoad {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int THREADS = 4;
  private static final int BATCH = 20;
  private static final int[] SLEEPS_MS = {1, 5, 20, 100, 1000};

  private final Supplier<List<String>> nodes;
  private final BooleanSupplier mayBeSplit;
  private final Ledger ledger;
  private final double rate;
  private final long seed;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean running = true;

  /**
   * {@code nodes}: the base URLs of the nodes to send to now, read before each request;
   * {@code mayBeSplit}: whether the cluster may be split in two now, read before and after each cancel.
   */
  ChaosLoad(Supplier<List<String>> nodes, BooleanSupplier mayBeSplit, Ledger ledger, double rate, long seed) {
    this.nodes = nodes;
    this.mayBeSplit = mayBeSplit;
    this.ledger = ledger;
    this.rate = rate;
    this.seed = seed;
  }

  void start() {
    for (int t = 0; t < THREADS; t++) {
      int index = t;
      Thread thread = new Thread(() -> submitLoop(index), "chaos-load-" + t);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  /** Stops sending and waits for the requests in flight to be answered (or to time out). */
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  long requests() {
    return requests.get();
  }

  private void submitLoop(int index) {
    Random random = new Random(seed + index);
    long intervalNanos = (long) (THREADS * 1e9 / rate);
    long next = System.nanoTime();
    int n = 0;
    while (running) {
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      List<String> urls = nodes.get();
      if (urls.isEmpty()) {
        continue;
      }
      String node = urls.get(random.nextInt(urls.size()));
      boolean batch = random.nextInt(20) == 0;
      List<Map<String, Object>> specs = new ArrayList<>();
      for (int i = 0; i < (batch ? BATCH : 1); i++) {
        specs.add(Map.of("id", "chaos-" + index + "-" + (++n), "type", "sleep",
            "payload", Integer.toString(SLEEPS_MS[random.nextInt(SLEEPS_MS.length)]),
            "priority", random.nextInt(6), "maxAttempts", 100));
      }
      List<String> ids = specs.stream().map(s -> (String) s.get("id")).toList();
      int status = send(node, "POST", batch ? "/api/tasks/batch" : "/api/tasks", batch ? specs : specs.get(0));
      if (status == 200 || status == 201) {
        ids.forEach(ledger::acknowledged);
        if (!batch && random.nextInt(10) == 0) {
          cancel(node, ids.get(0));
        }
      } else if (status == 503) {
        ids.forEach(ledger::refused);
      } else {
        if (status > 0) {
          System.out.println("chaos: unexpected answer " + status + " to a submission");
        }
        ids.forEach(ledger::unanswered);
      }
    }
  }

  private void cancel(String node, String id) {
    boolean splitBefore = mayBeSplit.getAsBoolean();
    int status = send(node, "DELETE", "/api/tasks/" + id, null);
    // During a split the other side may run the task to its end meanwhile, which outranks the
    // cancel when they merge (the cluster is AP: docs/design.md).
    boolean split = splitBefore || mayBeSplit.getAsBoolean();
    ledger.cancelled(id, switch (status) {
      case 200 -> split ? Expect.CANCELLED_DURING_SPLIT : Expect.CANCELLED;
      case 409 -> Expect.COMPLETED; // it had ended already
      default -> Expect.COMPLETED_OR_CANCELLED;
    });
  }

  /** Answers the status code, or -1 when no answer came. */
  private int send(String node, String method, String path, Object body) {
    requests.incrementAndGet();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + path)).timeout(Duration.ofSeconds(30));
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
