package io.taskgrid.bench.workload;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.durableexecutor.DurableExecutorService;
import com.hazelcast.map.IMap;
import io.taskgrid.bench.baseline.BaselineMember;
import io.taskgrid.bench.baseline.SleepTask;
import io.taskgrid.bench.cluster.BaselineCluster;
import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Workload 4: 1 s tasks on two thirds of the slots (so the survivors have free slots), {@code kill
 * -9} of the last node while they run; how long from the kill until every lost task runs again,
 * and until the whole batch completes.
 */
public final class Failover {
  static final long TASK_MILLIS = 1_000;
  /** How long after every task started the node is killed: well inside their second. */
  static final long KILL_AFTER_MILLIS = 300;

  /**
   * What one run measured.
   *
   * @param lost tasks whose attempt died with the node
   * @param rerunSeconds from the kill until the last lost task started again (NaN if one never did)
   * @param completeSeconds from the kill until the batch completed (NaN if it never did)
   * @param neverRerun lost tasks that never ran again
   */
  public record Outcome(int lost, double rerunSeconds, double completeSeconds, int neverRerun) {}

  private Failover() {}

  public static Outcome taskgrid(NodeCluster cluster, int slots) throws Exception {
    TaskGridClient client = cluster.client();
    int count = slots * 2 / 3;
    List<TaskSpec> specs = GridOps.specs("w4-", count, "sleep", Long.toString(TASK_MILLIS), 0);
    client.submitAll(specs);
    Waits.until("every task to start", Duration.ofSeconds(30), 5,
        () -> GridOps.count(client, "w4-", TaskStatus.RUNNING) == count);
    Waits.pause(KILL_AFTER_MILLIS);
    long kill = System.currentTimeMillis();
    cluster.kill(cluster.size());
    GridOps.awaitCompleted(client, "w4-", count, Duration.ofMinutes(2));
    long lastStart = 0;
    long lastFinish = 0;
    int lost = 0;
    for (TaskView v : GridOps.views(client, GridOps.ids(specs))) {
      lastFinish = Math.max(lastFinish, v.finishedAt().toEpochMilli());
      if (v.startedAt().toEpochMilli() > kill) {
        lost++;
        lastStart = Math.max(lastStart, v.startedAt().toEpochMilli());
      }
    }
    return new Outcome(lost, lost == 0 ? 0 : (lastStart - kill) / 1000.0, (lastFinish - kill) / 1000.0, 0);
  }

  /** A baseline on its own fresh cluster, whose last member is killed. */
  public static Outcome baseline(BaselineCluster cluster, int members, boolean durable, int slots) throws Exception {
    HazelcastInstance client = cluster.client();
    DurableExecutorService durableExecutor = client.getDurableExecutorService(BaselineMember.EXECUTOR);
    IExecutorService executor = client.getExecutorService(BaselineMember.EXECUTOR);
    IMap<String, Long> starts = client.getMap(BaselineMember.STARTS_MAP);
    int count = slots * 2 / 3;
    List<Future<String>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SleepTask task = new SleepTask("w4-" + i, TASK_MILLIS);
      futures.add(durable ? durableExecutor.submit(task) : executor.submit(task));
    }
    Waits.until("every task to start", Duration.ofSeconds(30), 5, () -> starts.size() >= count);
    Waits.pause(KILL_AFTER_MILLIS);
    long kill = System.currentTimeMillis();
    cluster.kill(members);
    long lastFinish = 0;
    for (Future<String> f : futures) {
      try {
        f.get(1, TimeUnit.MINUTES);
        lastFinish = System.currentTimeMillis();
      } catch (ExecutionException | TimeoutException e) {
        // Lost with the member (IExecutorService keeps nothing).
      }
    }
    // Each start recorded as "<task>/<random>" → epoch ms; a start after the kill is a re-run.
    Map<String, Long> rerunAt = new HashMap<>();
    starts.forEach((key, at) -> {
      if (at > kill) {
        rerunAt.merge(key.substring(0, key.indexOf('/')), at, Math::min);
      }
    });
    int failedFutures = (int) futures.stream().filter(f -> {
      try {
        f.get(0, TimeUnit.MILLISECONDS);
        return false;
      } catch (Exception e) {
        return true;
      }
    }).count();
    int lost = Math.max(rerunAt.size(), failedFutures);
    double rerun = rerunAt.isEmpty() ? (lost == 0 ? 0 : Double.NaN)
        : (rerunAt.values().stream().mapToLong(Long::longValue).max().orElse(kill) - kill) / 1000.0;
    double complete = failedFutures > 0 ? Double.NaN : (lastFinish - kill) / 1000.0;
    return new Outcome(lost, rerun, complete, failedFutures);
  }
}
