package io.taskgrid.grid;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.Logger;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.query.impl.QueryableEntry;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.executionservice.ExecutionService;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a store hears that the tasks it waits for have ended: at the tasks' owners, so that no
 * member or client hears of ends it does not wait for, however large the cluster.
 *
 * <ul>
 *   <li>A wait is counted in, as it begins, in {@value #WAITS_MAP}: a map keyed by task id, so
 *       partitioned (and migrated, and backed up) as the tasks are. Counted out as it ends.
 *   <li>The processor that ends a task ({@link TaskProcessor}) looks it up in the waits there and
 *       then, on the owner's partition thread, which also holds that partition of the waits: no
 *       call, no thread hop, no event when nobody waits. A waited task's entry is then removed,
 *       off that thread.
 *   <li>Each store that waits has one listener on the waits, for removals only, filtered on the
 *       owners by its own id ({@link WaitedBy}): the owner sends a removal to the stores that were
 *       waiting, and to no other. The store then reads the task and completes its waits.
 *   <li>An end whose owner died before removing the entry: a store reads its waited tasks again
 *       when a member leaves. After a split heals, when a client reconnects (perhaps to a whole
 *       cluster restarted, whose waits are gone), and when a partition of the waits was lost with
 *       its owner and backup together, it counts its open waits in again first.
 * </ul>
 *
 * <p>Ordering: a wait reads its task only once its listener is in place and its count is in. If
 * that read finds the task unfinished, the end comes later on the same partition, where the count
 * already is.
 *
 * <p>Why not a local entry listener on each owner to hear the ends: every end then became an event
 * on an event thread and a read of the waits, and in workload 1 the nodes spent 0.05-0.10 ms more
 * CPU per task (0.22-0.27 against 0.16-0.18 ms), waits or not.
 */
final class OwnerEndNotices {
  /** The waits of members and clients, by task id; configured in hazelcast.yaml. */
  static final String WAITS_MAP = "taskgrid-waits";
  /** Key of a member's instance in {@code HazelcastInstance.getUserContext()}, for the processors. */
  static final String CONTEXT_KEY = "taskgrid.ownerEndNotices";
  private static final ILogger LOG = Logger.getLogger(OwnerEndNotices.class);
  private static final long RECOUNT_DEBOUNCE_MS = 50;

  private final HazelcastInstance hazelcast;
  private final IMap<String, Waiters> waits;
  private final TaskWaits taskWaits;
  /** Null on a client: only a member owns tasks. */
  private final NodeEngine nodeEngine;
  private final MapService mapService;
  // This store's listener on the waits, registered by its first wait under its id of the time
  // (a member that rejoins after a split has a new one); read and changed only under this lock.
  private UUID listener;
  private UUID listenerFor;
  // How many removals this store's listener has heard (for tests).
  private final AtomicLong heard = new AtomicLong();
  // Whether a recount is on its way: requests meanwhile join it.
  private final AtomicBoolean recountScheduled = new AtomicBoolean();

  OwnerEndNotices(HazelcastInstance hazelcast, boolean onMember, TaskWaits taskWaits) {
    this.hazelcast = hazelcast;
    this.waits = hazelcast.getMap(WAITS_MAP);
    this.taskWaits = taskWaits;
    this.nodeEngine = onMember ? MemberInternals.nodeEngine(hazelcast) : null;
    this.mapService = onMember ? nodeEngine.getService(MapService.SERVICE_NAME) : null;
    if (onMember) {
      hazelcast.getUserContext().put(CONTEXT_KEY, this);
    }
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        taskWaits.recheckAll();
      }
    });
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.MERGED || event.getState() == LifecycleState.CLIENT_CONNECTED) {
        // The counts may be gone (a whole cluster restarted under a client) or under an old id (a
        // member rejoins after a split under a new one): count every open wait in again, off this
        // thread. A count too many only outlives its wait until the task ends.
        recountSoon();
      }
    });
    // A partition's counts are gone when its owner and backup died together: the same.
    waits.addPartitionLostListener(event -> recountSoon());
  }

  /** Counts every open wait in again, off the caller's thread; requests meanwhile (many partitions lost at once) join it. */
  private void recountSoon() {
    if (recountScheduled.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(RECOUNT_DEBOUNCE_MS, TimeUnit.MILLISECONDS).execute(() -> {
        recountScheduled.set(false);
        taskWaits.recountAll();
      });
    }
  }

  /**
   * Counts {@code open} waits on {@code id} in (one as a wait begins, its waiter already in place;
   * all of them again after a reconnect): completes once the task's end will be heard, that is once
   * this store listens and the count is in. Sent again when the task's owner went away before it
   * answered: a client does not send an entry processor again by itself, and a count sent twice
   * only outlives its wait until the task ends. Never throws; a count that cannot be sent fails.
   */
  CompletionStage<Void> countIn(String id, int open) {
    CompletableFuture<Void> counted = new CompletableFuture<>();
    countIn(id, open, 1, counted);
    return counted;
  }

  private void countIn(String id, int open, int attempt, CompletableFuture<Void> counted) {
    CompletionStage<Void> sent;
    try {
      sent = waits.submitToKey(id, new CountWait(listen(), open));
    } catch (RuntimeException e) { // not connected, say: the wait fails rather than hang
      counted.completeExceptionally(e);
      return;
    }
    sent.whenComplete((done, error) -> {
      if (error == null) {
        counted.complete(null);
      } else if (attempt < TaskStore.SUBMIT_TRIES && ownerGone(error)) {
        CompletableFuture.delayedExecutor(TaskStore.RETRY_PAUSE_MS * attempt, TimeUnit.MILLISECONDS)
            .execute(() -> countIn(id, open, attempt + 1, counted));
      } else {
        counted.completeExceptionally(error);
      }
    });
  }

  /** A wait whose count-in completed has ended, however it ended: counts it out. */
  void waitEnded(String id) {
    // Sent without waiting for it. A count it fails to take out stays until the task ends, which
    // removes the entry.
    waits.submitToKey(id, new CountWait(self(), -1));
  }

  /** Whether the owner went away before answering (the error itself, or what it wraps). */
  private static boolean ownerGone(Throwable error) {
    Throwable cause = error.getCause();
    return TaskStore.isRetryable(error) || error instanceof TargetDisconnectedException
        || cause instanceof TargetDisconnectedException;
  }

  /**
   * Registers this store's listener on the waits, unless it is in place; answers the id it is for.
   * Under the lock, so that the first waits, however many come at once, register one listener.
   */
  private synchronized UUID listen() {
    UUID self = self();
    if (!self.equals(listenerFor)) {
      UUID stale = listener;
      listener = waits.addEntryListener(new Removed(), new WaitedBy(self), false);
      listenerFor = self;
      if (stale != null) {
        waits.removeEntryListener(stale);
      }
    }
    return self;
  }

  /** How many removals of its waits this store has heard: the ends of its tasks, and waits counted out last. */
  long heard() {
    return heard.get();
  }

  /** This store's id in the cluster, read at each use: a member that rejoins after a split has a new one. */
  private UUID self() {
    return hazelcast.getLocalEndpoint().getUuid();
  }

  /**
   * A task this member owns has just ended: called by the processor that ended it, on the
   * partition thread, which alone changes that partition's waits. Costs a look-up among the
   * partition's maps when nobody waits there.
   */
  void taskEnded(Map.Entry<String, TaskRecord> entry) {
    Data key = entry instanceof QueryableEntry<?, ?> stored ? stored.getKeyData() : nodeEngine.toData(entry.getKey());
    RecordStore<?> waiting = mapService.getMapServiceContext()
        .getExistingRecordStore(nodeEngine.getPartitionService().getPartitionId(key), WAITS_MAP);
    if (waiting != null && !waiting.isEmpty() && waiting.existInMemory(key)) {
      String id = entry.getKey();
      nodeEngine.getExecutionService().execute(ExecutionService.ASYNC_EXECUTOR, () -> tellWaiters(id));
    }
  }

  /** Removes the task's waits: the removal is what each waiting store's listener hears. */
  private void tellWaiters(String id) {
    waits.removeAsync(id).whenComplete((removed, error) -> {
      // The waiters read their tasks again if this member is leaving; otherwise their time runs out.
      if (error != null && hazelcast.getLifecycleService().isRunning()) {
        LOG.warning("could not tell the waits for task " + id + " that it ended", error);
      }
    });
  }

  /** Hears that a task this store waits for has ended (its waits were removed). */
  private final class Removed implements EntryRemovedListener<String, Waiters> {
    @Override
    public void entryRemoved(EntryEvent<String, Waiters> event) {
      heard.incrementAndGet();
      if (taskWaits.isWaitingFor(event.getKey())) {
        taskWaits.ended(event.getKey());
      }
    }
  }
}
