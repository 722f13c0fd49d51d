package io.taskgrid.bench.workload;

import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.bench.report.Figure;
import io.taskgrid.bench.report.Report;
import io.taskgrid.bench.report.ReportWriter;
import io.taskgrid.bench.report.WorkloadResult;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Workload 2: open-loop REST load. Requests leave on a fixed schedule, round robin over the nodes,
 * whether or not earlier ones were answered, and each latency counts from when its request was
 * due, so a stall shows as latency instead of a lower offered rate (no coordinated omission).
 * Submit→start comes from the tasks' own timestamps.
 */
public final class RestLoad {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private RestLoad() {}

  /** Offers {@code rate} submissions/s for {@code seconds}; adds its figures to {@code result}. */
  public static void run(NodeCluster cluster, Report report, WorkloadResult result, int rate, int seconds) {
    String prefix = "w2-" + rate + "-";
    List<String> urls = cluster.httpUrls().stream().map(u -> u + "/api/tasks").toList();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Recorder submitLatency = new Recorder(3);
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    int total = rate * seconds;
    List<CompletableFuture<?>> answers = new ArrayList<>(total);
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long lastPrint = start;
    for (int i = 0; i < total; i++) {
      long due = start + i * periodNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      String body = "{\"id\":\"" + prefix + i + "\",\"type\":\"echo\",\"payload\":\"\"}";
      HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(i % urls.size())))
          .timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build();
      answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
        submitLatency.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
        if (error == null && response.statusCode() / 100 == 2) {
          accepted.incrementAndGet();
        } else {
          refused.incrementAndGet();
        }
      }));
      if (System.nanoTime() - lastPrint > 2_000_000_000L) {
        lastPrint = System.nanoTime();
        System.out.printf(Locale.ROOT, "    rest %,d/s: %,d sent, %,d accepted, %,d refused%n",
            rate, i + 1, accepted.get(), refused.get());
      }
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Histogram submit = submitLatency.getIntervalHistogram();
    report.latency("REST submit @" + rate + "/s", submit);

    List<String> ids = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      ids.add(prefix + i);
    }
    Waits.until("the REST tasks to start", Duration.ofMinutes(5), 200,
        () -> GridOps.count(cluster.client(), prefix, TaskStatus.PENDING) == 0);
    Histogram toStart = new Histogram(3);
    for (TaskView v : GridOps.views(cluster.client(), ids)) {
      if (v.startedAt() != null) {
        toStart.recordValue(Math.max(1, Duration.between(v.submittedAt(), v.startedAt()).toNanos() / 1000));
      }
    }
    report.latency("REST submit→start @" + rate + "/s", toStart);

    double achieved = accepted.get() / elapsed;
    Map<String, Double> s = ReportWriter.percentilesMs(submit);
    Map<String, Double> st = ReportWriter.percentilesMs(toStart);
    String at = " @" + rate + "/s";
    boolean sustained = achieved >= 0.99 * rate && refused.get() == 0;
    result.add(Figure.of("accepted submissions" + at, "/s", achieved)
        .target("≥ " + rate + "/s, none refused", sustained));
    result.add(Figure.of("submit p50" + at, "ms", s.get("p50")));
    Figure p99 = Figure.of("submit p99" + at, "ms", s.get("p99"));
    result.add(rate == 1_000 ? p99.target("≤ 20 ms", s.get("p99") <= 20) : p99);
    result.add(Figure.of("submit p99.9" + at, "ms", s.get("p99.9")));
    result.add(Figure.of("submit→start p50" + at, "ms", st.get("p50")));
    Figure startP99 = Figure.of("submit→start p99" + at, "ms", st.get("p99"));
    result.add(rate == 1_000 ? startP99.target("≤ 10 ms", st.get("p99") <= 10) : startP99);
    result.add(Figure.of("submit→start p99.9" + at, "ms", st.get("p99.9")));
    if (refused.get() > 0) {
      result.note(String.format(Locale.ROOT, "At %,d/s %,d of %,d submissions were refused or timed out.",
          rate, refused.get(), total));
    }
    result.data("rate" + rate, Map.of("offered", rate, "seconds", seconds, "accepted", accepted.get(),
        "refused", refused.get(), "achievedPerSecond", achieved, "submitMs", s, "submitToStartMs", st));
  }
}
