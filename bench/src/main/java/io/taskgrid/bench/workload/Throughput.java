package io.taskgrid.bench.workload;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.durableexecutor.DurableExecutorService;
import io.taskgrid.bench.baseline.BaselineMember;
import io.taskgrid.bench.baseline.NoOpTask;
import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.bench.cluster.NodeMetrics;
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
 */
public final class Throughput {
  /** The largest batch TaskStore accepts: a batch costs one operation and one journal write per partition. */
  public static final int BATCH = TaskStore.MAX_BATCH;
  static final int SUBMIT_THREADS = 4;
  static final int BASELINE_IN_FLIGHT = 10_000;

  private Throughput() {}

  /** TaskGrid: answers tasks/s, end to end. */
  public static double taskgrid(NodeCluster cluster, Report report, String name, String prefix, int count)
      throws Exception {
    TaskGridClient client = cluster.client();
    List<TaskSpec> specs = GridOps.specs(prefix, count, "echo", "", 0);
    long before = NodeMetrics.scrape(cluster.httpUrls()).completed();
    TimeSeries series = new TimeSeries(name);
    long start = System.currentTimeMillis();
    try (Sampler sampler = new Sampler(series, count, () -> {
      NodeMetrics.Totals t = NodeMetrics.scrape(cluster.httpUrls());
      return new Sampler.Reading(t.completed() - before, t.pending());
    })) {
      GridOps.submitAll(client, specs, BATCH, SUBMIT_THREADS);
      Waits.until("the tasks to complete", Duration.ofMinutes(10), 50, () -> sampler.last().completed() >= count);
    }
    report.series(series);
    long completed = GridOps.count(client, prefix, TaskStatus.COMPLETED);
    if (completed != count) {
      throw new IllegalStateException(name + ": " + completed + " of " + count + " tasks COMPLETED");
    }
    long last = GridOps.lastFinishedAt(client, prefix);
    return count / ((last - start) / 1000.0);
  }

  /** A baseline: answers tasks/s from the first submission to the last completion. */
  public static double baseline(HazelcastInstance client, Report report, String name, boolean durable, int count)
      throws InterruptedException {
    TimeSeries series = new TimeSeries(name);
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
    report.series(series);
    if (failed.get() > 0) {
      throw new IllegalStateException(name + ": " + failed.get() + " of " + count + " tasks failed");
    }
    return count / seconds;
  }
}
