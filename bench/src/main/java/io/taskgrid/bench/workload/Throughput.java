package io.taskgrid.bench.workload;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.durableexecutor.DurableExecutorService;
import io.taskgrid.bench.baseline.BaselineMember;
import io.taskgrid.bench.baseline.NoOpTask;
import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.bench.cluster.NodeMetrics;
import io.taskgrid.bench.machine.HostSteal;
import io.taskgrid.bench.report.Report;
import io.taskgrid.bench.report.TimeSeries;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Workload 1: no-op tasks submitted through the Java client in batches; tasks/s from the first
 * submission to the last completion. TaskGrid runs {@code echo} of an empty payload; the baselines
 * run {@link NoOpTask} with at most {@value #BASELINE_IN_FLIGHT} unfinished at a time (a durable
 * executor refuses more than its capacity, and an unbounded client would only queue).
 *
 * <p>Each system first runs a tenth as many tasks, not measured, on the same cluster and through
 * the same client: otherwise the first measurement also pays for the benchmark JVM compiling its
 * client's code (half of its CPU over the first seconds) on the cores the members share, and the
 * later ones — the smaller clusters of workload 5 — do not.
 */
public final class Throughput {
  /** The largest batch TaskStore accepts: a batch costs one operation and one journal write per partition. */
  public static final int BATCH = TaskStore.MAX_BATCH;
  static final int SUBMIT_THREADS = 4;
  static final int BASELINE_IN_FLIGHT = 10_000;
  /** Tasks run before each measurement, as a share of the measured count. */
  public static final int WARM_UP_DIVISOR = 10;

  private Throughput() {}

  /**
   * A measured run of TaskGrid.
   *
   * @param perSecond tasks/s, first submission to last completion
   * @param cpu what the nodes and the client took meanwhile
   * @param tasks how many tasks ran
   * @param gc the nodes' GC pauses meanwhile
   */
  public record Run(double perSecond, CpuUse cpu, int tasks, GcPauses gc) {
    /** Node CPU milliseconds per task, every node together. */
    public double nodeMsPerTask() {
      return cpu.nodeMsPer(tasks);
    }
  }

  /** TaskGrid: tasks/s end to end, and the CPU the tasks took. */
  public static Run taskgrid(NodeCluster cluster, Report report, String name, String prefix, int count)
      throws Exception {
    TaskGridClient client = cluster.client();
    String warmUp = "warm-up-" + prefix;
    int warmUpCount = count / WARM_UP_DIVISOR;
    GridOps.submitAll(client, GridOps.specs(warmUp, warmUpCount, "echo", "", 0), BATCH, SUBMIT_THREADS);
    GridOps.awaitCompleted(client, warmUp, warmUpCount, Duration.ofMinutes(2));
    List<TaskSpec> specs = GridOps.specs(prefix, count, "echo", "", 0);
    NodeMetrics.Totals totalsBefore = NodeMetrics.scrape(cluster.httpUrls());
    long before = totalsBefore.completed();
    TimeSeries series = new TimeSeries(name);
    long start = System.currentTimeMillis();
    CpuUse.Meter meter = CpuUse.start(cluster.pids());
    try (Sampler sampler = new Sampler(series, count, () -> {
      NodeMetrics.Totals t = NodeMetrics.scrape(cluster.httpUrls());
      return new Sampler.Reading(t.completed() - before, t.pending());
    })) {
      GridOps.submitAll(client, specs, BATCH, SUBMIT_THREADS);
      Waits.until("the tasks to complete", Duration.ofMinutes(10), 50, () -> sampler.last().completed() >= count);
    }
    CpuUse cpu = meter.stop();
    GcPauses gc = GcPauses.between(totalsBefore, NodeMetrics.scrape(cluster.httpUrls()),
        (System.currentTimeMillis() - start) / 1000.0, cluster.httpUrls().size());
    report.series(series);
    long completed = GridOps.count(client, prefix, TaskStatus.COMPLETED);
    if (completed != count) {
      throw new IllegalStateException(name + ": " + completed + " of " + count + " tasks COMPLETED");
    }
    long last = GridOps.lastFinishedAt(client, prefix);
    return new Run(count / ((last - start) / 1000.0), cpu, count, gc);
  }

  /**
   * What a baseline's measured run gave.
   *
   * @param perSecond tasks/s from the first submission to the last completion
   * @param stolen the share of CPU time the host took meanwhile (NaN where the kernel does not count
   *     it), as {@link CpuUse#stolen} is for TaskGrid's run
   */
  public record Baseline(double perSecond, double stolen) {}

  /** A baseline: a tenth of the tasks unmeasured, then the measured run. */
  public static Baseline baseline(HazelcastInstance client, Report report, String name, boolean durable, int count)
      throws InterruptedException {
    run(client, new TimeSeries(name + " warm-up"), name + " warm-up", durable, count / WARM_UP_DIVISOR);
    TimeSeries series = new TimeSeries(name);
    HostSteal steal = HostSteal.start();
    double rate = run(client, series, name, durable, count);
    double stolen = steal.share().orElse(Double.NaN);
    report.series(series);
    return new Baseline(rate, stolen);
  }

  private static double run(HazelcastInstance client, TimeSeries series, String name, boolean durable, int count)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(BASELINE_IN_FLIGHT);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Consumer<Throwable> finish = error -> {
      if (error != null) {
        failed.incrementAndGet();
      }
      done.incrementAndGet();
      inFlight.release();
    };
    DurableExecutorService durableExecutor = client.getDurableExecutorService(BaselineMember.EXECUTOR);
    IExecutorService executor = client.getExecutorService(BaselineMember.EXECUTOR);
    long start = System.nanoTime();
    long[] submitted = new long[1];
    try (Sampler sampler = new Sampler(series, count,
        () -> new Sampler.Reading(done.get(), submitted[0] - done.get()))) {
      for (int i = 0; i < count; i++) {
        inFlight.acquire();
        if (durable) {
          ((CompletionStage<String>) durableExecutor.submit(new NoOpTask())).whenComplete((r, e) -> finish.accept(e));
        } else {
          executor.submit(new NoOpTask(), new com.hazelcast.core.ExecutionCallback<String>() {
            @Override
            public void onResponse(String response) {
              finish.accept(null);
            }

            @Override
            public void onFailure(Throwable t) {
              finish.accept(t);
            }
          });
        }
        submitted[0] = i + 1;
      }
      if (!inFlight.tryAcquire(BASELINE_IN_FLIGHT, 10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(name + ": tasks did not complete in 10 minutes");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      throw new IllegalStateException(name + ": " + failed.get() + " of " + count + " tasks failed");
    }
    return count / seconds;
  }
}
