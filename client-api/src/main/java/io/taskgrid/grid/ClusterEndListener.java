package io.taskgrid.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.taskgrid.model.TaskStatus;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a client hears of ends: one entry listener on the whole task map, registered by the first
 * wait, which hears of every task that ends in the cluster (its id only: a predicate on the
 * members passes only ends, and no value travels). Only for ids someone waits on is the task read.
 * It is removed once no wait has been open for its linger, so a client that no longer waits stops
 * paying for that.
 *
 * <p>Why not a listener per wait: registering and removing one is a call to every member, and after
 * a member dies the removals queue behind Hazelcast's invocation timeout (120 s each), which
 * stalled every later wait of the client for minutes.
 */
final class ClusterEndListener implements EndHearing {
  private final IMap<String, TaskRecord> tasks;
  private final TaskWaits waits;
  // Registered by the first wait, removed once no wait has been open for the linger; read and
  // changed only while holding this object's lock.
  private UUID registration;
  // Tests shorten it; volatile as it is read by the idle check's thread.
  private volatile Duration linger = TaskStore.LISTENER_LINGER;
  // When the latest wait began (System.nanoTime), for the idle check.
  private volatile long lastWaitBegan;
  // One idle check scheduled at a time, however many waits end.
  private final AtomicBoolean idleCheckScheduled = new AtomicBoolean();

  ClusterEndListener(IMap<String, TaskRecord> tasks, TaskWaits waits) {
    this.tasks = tasks;
    this.waits = waits;
  }

  /**
   * Registers the listener unless it is in place. Always under the lock, with no unlocked fast
   * path: an idle check decides and removes under the same lock, so a wait whose waiter it did not
   * see either comes after its removal and registers anew, or was seen and kept it.
   */
  @Override
  public CompletionStage<Void> waitBegan(String id) {
    lastWaitBegan = System.nanoTime();
    synchronized (this) {
      if (registration == null) {
        registration = tasks.addEntryListener(new Heard(),
            new StatusIn(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED), false);
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void waitEnded(String id) {
    if (waits.nobodyWaits()) {
      checkIdleLater();
    }
  }

  /** Shortens the linger (for tests). */
  void linger(Duration linger) {
    this.linger = linger;
  }

  private void checkIdleLater() {
    if (idleCheckScheduled.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(linger.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
        idleCheckScheduled.set(false);
        stopListeningIfIdle();
      });
    }
  }

  /** Removes the listener if no wait is open and none began within the linger. */
  private void stopListeningIfIdle() {
    UUID idle;
    synchronized (this) {
      if (registration == null || !waits.nobodyWaits()) {
        return; // the open waits check again as they end
      }
      if (System.nanoTime() - lastWaitBegan < linger.toNanos()) {
        checkIdleLater();
        return;
      }
      idle = registration;
      registration = null;
    }
    try {
      // Outside the lock: after a member's death a removal can take until its invocation times out.
      tasks.removeEntryListener(idle);
    } catch (RuntimeException e) {
      // The instance is shutting down, and its listeners with it.
    }
  }

  /** Hears that a task ended. */
  private final class Heard
      implements EntryAddedListener<String, TaskRecord>, EntryUpdatedListener<String, TaskRecord> {
    @Override
    public void entryAdded(EntryEvent<String, TaskRecord> event) {
      ended(event.getKey());
    }

    @Override
    public void entryUpdated(EntryEvent<String, TaskRecord> event) {
      ended(event.getKey());
    }

    private void ended(String id) {
      if (waits.isWaitingFor(id)) {
        waits.ended(id);
      }
    }
  }
}
