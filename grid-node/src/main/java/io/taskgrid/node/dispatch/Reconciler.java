package io.taskgrid.node.dispatch;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicates;
import io.taskgrid.grid.Reply;
import io.taskgrid.grid.RequeueLost;
import io.taskgrid.grid.StatusIn;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.grid.WithoutPayload;
import io.taskgrid.model.TaskStatus;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Re-reads the unfinished tasks of the partitions this member owns and rebuilds the indexes from
 * them. The processors report every change made while a partition is owned here ({@link
 * LocalTaskWatcher}); this covers what they do not: partitions that arrive by migration or by
 * promotion of a backup, and start-up.
 * It also requeues RUNNING tasks whose node is no longer a member — the promoted side of a
 * member's departure.
 */
@Component
public class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  private static final long DEBOUNCE_MS = 50;

  private final HazelcastInstance hazelcast;
  private final TaskStore store;
  private final LocalTaskWatcher watcher;
  private final PendingIndex pending;
  private final RunningIndex running;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final PartitionKeys partitionKeys = new PartitionKeys();
  private final PartitionSlices slices = new PartitionSlices();

  public Reconciler(HazelcastInstance hazelcast, TaskStore store, LocalTaskWatcher watcher, PendingIndex pending,
      RunningIndex running, @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler, Clock clock) {
    this.hazelcast = hazelcast;
    this.store = store;
    this.watcher = watcher;
    this.pending = pending;
    this.running = running;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** Reconciles soon; many requests in a burst (a migration moves many partitions) make one run. */
  public void requestSoon() {
    if (scheduled.compareAndSet(false, true)) {
      scheduler.schedule(this::reconcileQuietly, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void reconcileQuietly() {
    scheduled.set(false);
    try {
      reconcile();
    } catch (RuntimeException e) {
      log.warn("Reconciliation failed, will retry: {}", e.toString());
      requestSoon();
    }
  }

  /** Rebuilds the indexes from the map; answers how many tasks it found unfinished here. */
  public int reconcile() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return 0;
    }
    PartitionService partitions = hazelcast.getPartitionService();
    forgetPartitionsNotOwned(partitions);
    return reread(partitionKeys.ofOwnedPartitions(partitions, partition -> true));
  }

  /**
   * The periodic safety net, one slice of the owned partitions at a time ({@link PartitionSlices}):
   * called every {@code reconcile-interval / SLICES}, it covers every partition once per interval.
   * A full pass at once cost about 150 ms of CPU per node every 30 s with 100,000 tasks resident.
   */
  public void reconcileNextSlice() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    PartitionService partitions = hazelcast.getPartitionService();
    PartitionSlices.Slice slice = slices.next(partitions);
    if (slice.startsPass()) {
      forgetPartitionsNotOwned(partitions); // once per pass, as the full reconcile does
    }
    reread(slice.keys());
  }

  /** Drops from the indexes the tasks of partitions this member no longer owns. */
  private void forgetPartitionsNotOwned(PartitionService partitions) {
    pending.retainIf(id -> isLocal(partitions, id));
    running.retainIf(id -> isLocal(partitions, id));
  }

  /**
   * Indexes the unfinished tasks of the partitions of {@code keys} (one key per partition), and
   * requeues those still running on a node that has left; answers how many it found.
   */
  private int reread(Set<String> keys) {
    // One query on those partitions (all owned here), each scanned on its own partition thread,
    // answering the records without their payloads; no task crosses the network.
    Collection<TaskRecord> tasks = keys.isEmpty() ? List.of() : store.map().project(new WithoutPayload(),
        Predicates.multiPartitionPredicate(keys, new StatusIn(TaskStatus.PENDING, TaskStatus.RUNNING)));
    Set<String> members = memberIds();
    for (TaskRecord task : tasks) {
      watcher.track(task);
      if (task.getStatus() == TaskStatus.RUNNING && !members.contains(task.getNode())) {
        requeueLost(RunningIndex.Attempt.of(task), "node " + task.getNode() + " left the cluster while running attempt "
            + task.getAttempts());
      }
    }
    return tasks.size();
  }

  /** Requeues a running attempt whose node is gone; fenced, so a finished or newer attempt is left alone. */
  public void requeueLost(RunningIndex.Attempt attempt, String reason) {
    store.map()
        .submitToKey(attempt.taskId(), new RequeueLost(attempt.fence(), attempt.node(), clock.millis(), reason, false))
        .thenAccept(reply -> forgetUnless(attempt, reply));
  }

  /** Drops an attempt from the running index when the grid says it is no longer running. */
  void forgetUnless(RunningIndex.Attempt attempt, Reply reply) {
    if (reply.outcome() != Reply.Outcome.APPLIED) {
      running.remove(attempt);
    } else {
      log.info("Requeued task {} (attempt {} of node {} was lost)", attempt.taskId(), attempt.attempt(), attempt.node());
    }
  }

  private static boolean isLocal(PartitionService partitions, String id) {
    Member owner = partitions.getPartition(id).getOwner();
    return owner != null && owner.localMember();
  }

  private Set<String> memberIds() {
    return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
  }
}
