package io.taskgrid.node.persistence;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.query.Predicates;
import io.taskgrid.grid.FinishedBefore;
import io.taskgrid.grid.RemoveFinished;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.dispatch.PartitionSlices;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps memory bounded however many tasks pass through. With a database, every node evicts from
 * memory the finished tasks of its partitions once they are older than the residency (they stay in
 * the database and load again when asked for), and the oldest member deletes from the database
 * those older than the retention. In memory only, every node deletes the finished tasks of its
 * partitions once they are older than the retention: without it, such a cluster kept every task it
 * ever ran, filled its heaps and then refused new tasks.
 */
class FinishedTaskSweeper implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(FinishedTaskSweeper.class);

  private final HazelcastInstance hazelcast;
  private final TaskStore store;
  /** Null when tasks are kept in memory only. */
  private final TaskMapStore database;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final TaskGridProperties.Persistence settings;
  private volatile boolean running;
  private final PartitionSlices slices = new PartitionSlices();

  FinishedTaskSweeper(HazelcastInstance hazelcast, TaskStore store, TaskMapStore database,
      @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler, Clock clock, TaskGridProperties properties) {
    this.hazelcast = hazelcast;
    this.store = store;
    this.database = database;
    this.scheduler = scheduler;
    this.clock = clock;
    this.settings = properties.persistence();
  }

  @Override
  public void start() {
    long every = Math.max(1, settings.sweepInterval().toMillis() / PartitionSlices.SLICES);
    scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    running = true;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Sweeping finished tasks failed, will retry: {}", e.toString());
    }
  }

  /**
   * One slice of the sweep ({@link PartitionSlices}), so that a pass over every partition takes the
   * sweep interval; all at once, it cost about 100 ms of CPU per node with 100,000 tasks resident.
   * The database's deletions go once per pass.
   */
  void sweep() {
    long now = clock.millis();
    PartitionSlices.Slice slice = slices.next(hazelcast.getPartitionService());
    if (database == null) {
      long cutoff = now - settings.retention().toMillis();
      Set<String> expired = finishedBefore(slice, cutoff);
      if (!expired.isEmpty()) {
        store.map().executeOnKeys(expired, new RemoveFinished(cutoff));
      }
      return;
    }
    finishedBefore(slice, now - settings.residency().toMillis()).forEach(store.map()::evict);
    if (slice.startsPass() && isOldestMember()) {
      int deleted = database.deleteFinishedBefore(now - settings.retention().toMillis());
      if (deleted > 0) {
        log.info("Deleted {} tasks finished more than {} ago", deleted, settings.retention());
      }
    }
  }

  /** The keys of the slice's partitions whose tasks ended before {@code cutoff}. */
  private Set<String> finishedBefore(PartitionSlices.Slice slice, long cutoff) {
    if (slice.keys().isEmpty()) {
      return Set.of();
    }
    return store.map().keySet(Predicates.multiPartitionPredicate(slice.keys(), new FinishedBefore(cutoff)));
  }

  private boolean isOldestMember() {
    Member oldest = hazelcast.getCluster().getMembers().iterator().next();
    return oldest.localMember();
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
