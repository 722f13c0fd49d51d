package io.taskgrid.bench.workload;

import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.bench.cluster.NodeMetrics;
import io.taskgrid.bench.report.TimeSeries;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Workloads 6 and "churn": live heap (after a full GC, summed over the node JVMs, so backups
 * count) per resident task. Pending: every slot is first filled with a long task of the top
 * priority, so that the {@code count} tasks submitted after it stay pending. Churn: {@code count}
 * no-op tasks run through, a window at a time, and stay resident as finished tasks (for the
 * configured residency, 1 h by default).
 */
public final class Memory {
  static final int BATCH = 10_000;
  /** Churn keeps at most this many tasks unfinished, as a steady stream would. */
  static final int CHURN_WINDOW = 50_000;

  /**
   * What one run measured.
   *
   * @param tasks tasks resident at the end
   * @param heapBefore live heap before, bytes (all nodes)
   * @param heapAfter live heap after, bytes (all nodes)
   * @param seconds how long submitting (and for churn, running) took
   */
  public record Outcome(long tasks, long heapBefore, long heapAfter, double seconds, long heapWritten) {
    public double bytesPerTask() {
      return (heapAfter - heapBefore) / (double) tasks;
    }

    /** Per task once write-behind has written every change (its queue is on the heap until then). */
    public double bytesPerTaskWritten() {
      return (heapWritten - heapBefore) / (double) tasks;
    }
  }

  private Memory() {}

  public static Outcome pending(NodeCluster cluster, int slots, int count) throws Exception {
    TaskGridClient client = cluster.client();
    List<TaskSpec> blockers = GridOps.specs("w6-blocker-", slots, "sleep", "3600000", 255);
    client.submitAll(blockers);
    Waits.until("every slot to be busy", Duration.ofSeconds(60), 50,
        () -> GridOps.count(client, "w6-blocker-", TaskStatus.RUNNING) == slots);
    long before = cluster.liveHeapBytes();
    long start = System.nanoTime();
    for (int from = 0; from < count; from += BATCH) {
      int n = Math.min(BATCH, count - from);
      GridOps.submitAll(client, GridOps.specs("w6-" + from + "-", n, "echo", "", 0), BATCH, 1);
      progress("pending", from + n, count, start);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long pending = GridOps.count(client, "w6-", TaskStatus.PENDING);
    if (pending != count) {
      throw new IllegalStateException("expected " + count + " pending tasks, the grid holds " + pending);
    }
    long after = cluster.liveHeapBytes();
    Waits.until("write-behind to write every change", Duration.ofMinutes(5), 500,
        () -> NodeMetrics.scrape(cluster.httpUrls()).unwritten() == 0);
    return new Outcome(count, before, after, seconds, cluster.liveHeapBytes());
  }

  public static Outcome churn(NodeCluster cluster, int count, TimeSeries series) throws Exception {
    TaskGridClient client = cluster.client();
    long before = cluster.liveHeapBytes();
    long completedBefore = NodeMetrics.scrape(cluster.httpUrls()).completed();
    long start = System.nanoTime();
    try (Sampler sampler = new Sampler(series, count, () -> {
      NodeMetrics.Totals t = NodeMetrics.scrape(cluster.httpUrls());
      return new Sampler.Reading(t.completed() - completedBefore, t.pending());
    })) {
      for (int from = 0; from < count; from += BATCH) {
        int submitted = from;
        Waits.until("the window to drain", Duration.ofMinutes(5), 50,
            () -> submitted - sampler.last().completed() < CHURN_WINDOW);
        GridOps.submitAll(client, GridOps.specs("churn-" + from + "-", Math.min(BATCH, count - from), "echo", "", 0),
            BATCH, 1);
      }
      Waits.until("every task to complete", Duration.ofMinutes(10), 100, () -> sampler.last().completed() >= count);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long completed = GridOps.count(client, "churn-", TaskStatus.COMPLETED);
    if (completed != count) {
      throw new IllegalStateException("expected " + count + " completed tasks, the grid holds " + completed);
    }
    long after = cluster.liveHeapBytes();
    return new Outcome(count, before, after, seconds, after);
  }

  private static void progress(String what, long done, long total, long startNanos) {
    if (done % 100_000 == 0 || done == total) {
      double s = (System.nanoTime() - startNanos) / 1e9;
      System.out.printf(Locale.ROOT, "    %-28s %,9d / %,d submitted  %,8.0f/s  (%.0f s)%n", what, done, total,
          done / s, s);
    }
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / 1048576.0);
  }
}
