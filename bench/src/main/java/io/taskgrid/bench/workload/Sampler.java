package io.taskgrid.bench.workload;

import io.taskgrid.bench.report.TimeSeries;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples a run's progress every {@value #PERIOD_MS} ms into a {@link TimeSeries}, and prints a
 * progress line every {@value #PRINT_EVERY} samples so that a long run shows it is alive.
 */
final class Sampler implements AutoCloseable {
  // Once a second, not twice: a TaskGrid reading scrapes every node's Prometheus endpoint, and a
  // scrape evaluates every gauge of the node (JVM thread states, cgroup CPU) whatever names it asks
  // for. In a profile of workload 1 on three nodes at two a second, the scrapes took 7 % of the
  // nodes' CPU (one node: 1.2 %), and most methods the nodes compiled after the warm-up were theirs.
  private static final long PERIOD_MS = 1_000;
  private static final int PRINT_EVERY = 2;

  /** One reading: tasks done and tasks waiting. */
  record Reading(long completed, long queued) {}

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-sampler");
    t.setDaemon(true);
    return t;
  });
  private final TimeSeries series;
  private final long startNanos;
  private final long total;
  private final Supplier<Reading> reader;
  // Touched by the sampler thread only.
  private int samples;
  private volatile Reading last = new Reading(0, 0);

  Sampler(TimeSeries series, long total, Supplier<Reading> reader) {
    this.series = series;
    this.total = total;
    this.reader = reader;
    this.startNanos = System.nanoTime();
    timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      Reading r = reader.get();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      series.add(seconds, r.completed(), r.queued());
      if (++samples % PRINT_EVERY == 0) {
        double rate = seconds > 0 ? r.completed() / seconds : 0;
        System.out.printf(Locale.ROOT, "    %-28s %,9d / %,d done  %,8.0f/s  %,9d waiting  (%.0f s)%n",
            series.getName(), r.completed(), total, rate, r.queued(), seconds);
      }
      last = r;
    } catch (RuntimeException e) {
      // A sample lost (a node just killed); the next one will do.
    }
  }

  Reading last() {
    return last;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sample();
  }
}
