package io.taskgrid.node.execution;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import io.taskgrid.grid.ApplyReports;
import io.taskgrid.grid.AttemptReport;
import io.taskgrid.grid.Reply;
import io.taskgrid.grid.TaskStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends attempt outcomes to the grid in batches. Worker threads queue a report and go on; one
 * thread takes whatever has queued while its last send was in flight and sends it as one {@link
 * ApplyReports} per partition. Under load many outcomes share one operation (and one backup) —
 * the more so as a claim starts tasks of one partition together — and when idle a report leaves at
 * once, alone. Each report is still fenced on its own, so batching changes nothing of what the
 * grid accepts.
 */
@Component
public class OutcomeReporter {
  private static final Logger log = LoggerFactory.getLogger(OutcomeReporter.class);
  /** Most reports in one send; the rest wait for the next. */
  private static final int MAX_BATCH = 1_000;

  /** A report and what to do with its reply (or the error that stopped it). */
  private record Queued(String taskId, AttemptReport report, BiConsumer<Reply, Throwable> done) {}

  private final TaskStore store;
  private final PartitionService partitions;
  private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();

  public OutcomeReporter(TaskStore store, HazelcastInstance hazelcast) {
    this.store = store;
    this.partitions = hazelcast.getPartitionService();
    // A daemon thread: it dies with the JVM; the node drains (Worker.drain) before Hazelcast stops.
    Worker.named("taskgrid-reporter").newThread(this::loop).start();
  }

  /** Queues a report; {@code done} runs once with the grid's reply or the error, on another thread. */
  public void send(String taskId, AttemptReport report, BiConsumer<Reply, Throwable> done) {
    queue.add(new Queued(taskId, report, done));
  }

  private void loop() {
    List<Queued> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return; // the node is shutting down; unsent reports are covered by their leases
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      CompletableFuture<?> sent;
      try {
        sent = sendAll(batch);
      } catch (RuntimeException e) {
        // Hazelcast refused the call itself (shutting down): every report of the batch failed.
        batch.forEach(q -> q.done().accept(null, e));
        sent = CompletableFuture.completedFuture(null);
      }
      batch.clear();
      // One send in flight: what finishes meanwhile queues and goes together in the next.
      sent.handle((v, e) -> null).join();
    }
  }

  /** Sends the batch, one operation per partition; completes when every one has answered. */
  private CompletableFuture<?> sendAll(List<Queued> batch) {
    Map<Integer, Map<String, Queued>> byPartition = new HashMap<>();
    for (Queued q : batch) {
      byPartition.computeIfAbsent(partitions.getPartition(q.taskId()).getPartitionId(), p -> new LinkedHashMap<>())
          .put(q.taskId(), q);
    }
    List<CompletableFuture<?>> sends = new ArrayList<>(byPartition.size());
    for (Map<String, Queued> group : byPartition.values()) {
      Map<String, AttemptReport> reports = new LinkedHashMap<>();
      group.forEach((id, q) -> reports.put(id, q.report()));
      sends.add(store.processAll(reports.keySet(), new ApplyReports(reports)).whenComplete((replies, error) -> {
        if (error != null) {
          log.warn("Could not report {} outcomes: {}", group.size(), error.toString());
        }
        group.forEach((id, q) -> q.done().accept(error == null ? replies.get(id) : null, error));
      }));
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
  }
}
