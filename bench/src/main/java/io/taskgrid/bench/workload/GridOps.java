package io.taskgrid.bench.workload;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/** What the workloads do to TaskGrid through its Java client: submit in batches, then read back. */
final class GridOps {
  private static final int READ_CHUNK = 1_000;

  private GridOps() {}

  static List<TaskSpec> specs(String prefix, int count, String type, String payload, int priority) {
    return IntStream.range(0, count)
        .mapToObj(i -> TaskSpec.builder().id(prefix + i).type(type).payload(payload).priority(priority).build())
        .toList();
  }

  /** Submits {@code specs} in batches of {@code batch}, {@code threads} batches at a time. */
  static void submitAll(TaskGridClient client, List<TaskSpec> specs, int batch, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int from = 0; from < specs.size(); from += batch) {
        List<TaskSpec> part = specs.subList(from, Math.min(specs.size(), from + batch));
        sent.add(pool.submit(() -> client.submitAll(part)));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  static IMap<String, TaskRecord> map(TaskGridClient client) {
    return client.hazelcast().getMap(TaskStore.TASKS_MAP);
  }

  /** The tasks of these ids as the grid holds them now. */
  static List<TaskView> views(TaskGridClient client, List<String> ids) {
    List<TaskView> views = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += READ_CHUNK) {
      Set<String> chunk = new HashSet<>(ids.subList(from, Math.min(ids.size(), from + READ_CHUNK)));
      map(client).getAll(chunk).values().forEach(r -> views.add(r.toView()));
    }
    return views;
  }

  private static Predicate<String, TaskRecord> prefixed(String prefix) {
    return Predicates.like("__key", prefix + "%");
  }

  /** Tasks of this id prefix in this status. */
  static long count(TaskGridClient client, String prefix, TaskStatus status) {
    return map(client).aggregate(Aggregators.count(),
        Predicates.and(prefixed(prefix), Predicates.equal("status", status)));
  }

  /**
   * Waits until {@code count} tasks of this id prefix have completed. Polls an aggregation rather
   * than holding a listener per task: cheap for the few thousand tasks a workload waits on, and
   * unaffected by the member a workload kills.
   */
  static void awaitCompleted(TaskGridClient client, String prefix, int count, Duration timeout) {
    Waits.until(count + " tasks to complete", timeout, 20,
        () -> count(client, prefix, TaskStatus.COMPLETED) >= count);
  }

  /** When the last task of this id prefix finished, in epoch ms. */
  static long lastFinishedAt(TaskGridClient client, String prefix) {
    return map(client).aggregate(Aggregators.longMax("finishedAt"), prefixed(prefix));
  }

  static List<String> ids(List<TaskSpec> specs) {
    return specs.stream().map(TaskSpec::id).toList();
  }
}
