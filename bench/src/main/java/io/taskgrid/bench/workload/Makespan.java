package io.taskgrid.bench.workload;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.durableexecutor.DurableExecutorService;
import io.taskgrid.bench.baseline.BaselineMember;
import io.taskgrid.bench.baseline.SleepTask;
import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.model.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Workload 3: {@code rounds} × every slot of 1 s tasks, submitted at once; the makespan (first
 * submission to last completion) over the ideal ({@code rounds} seconds: every slot busy all the
 * time, no gap between tasks).
 */
public final class Makespan {
  static final long TASK_MILLIS = 1_000;

  private Makespan() {}

  /** TaskGrid: answers the makespan in seconds. */
  public static double taskgrid(NodeCluster cluster, int slots, int rounds) throws Exception {
    TaskGridClient client = cluster.client();
    List<TaskSpec> specs = GridOps.specs("w3-", slots * rounds, "sleep", Long.toString(TASK_MILLIS), 0);
    long start = System.currentTimeMillis();
    client.submitAll(specs);
    GridOps.awaitCompleted(client, "w3-", specs.size(), Duration.ofMillis(rounds * TASK_MILLIS * 5 + 60_000));
    return (GridOps.lastFinishedAt(client, "w3-") - start) / 1000.0;
  }

  /** A baseline with {@code slots} threads in all: answers the makespan in seconds. */
  public static double baseline(HazelcastInstance client, boolean durable, int slots, int rounds) throws Exception {
    DurableExecutorService durableExecutor = client.getDurableExecutorService(BaselineMember.EXECUTOR);
    IExecutorService executor = client.getExecutorService(BaselineMember.EXECUTOR);
    long start = System.nanoTime();
    List<Future<String>> futures = new ArrayList<>();
    for (int i = 0; i < slots * rounds; i++) {
      SleepTask task = new SleepTask("w3-" + i, TASK_MILLIS);
      futures.add(durable ? durableExecutor.submit(task) : executor.submit(task));
    }
    for (Future<String> f : futures) {
      f.get(rounds * TASK_MILLIS * 5 + 60_000, TimeUnit.MILLISECONDS);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static Duration ideal(int rounds) {
    return Duration.ofMillis(rounds * TASK_MILLIS);
  }
}
