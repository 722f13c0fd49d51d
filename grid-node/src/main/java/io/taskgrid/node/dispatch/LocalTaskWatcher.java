package io.taskgrid.node.dispatch;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.query.Predicates;
import io.taskgrid.grid.PrimaryChanges;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Keeps the pending and running indexes current with the tasks this member owns as primary, and
 * lets the {@link Dispatcher} start a new task at once when it has a slot for it. Every
 * state change is a TaskGrid processor, which hands the new state over on the owner's partition
 * thread ({@link PrimaryChanges}); removals, evictions and expiries (the finished-task sweeper,
 * eviction) come from a local entry listener without values ({@code addLocalEntryListener}: it
 * fires only on the owner and follows ownership when partitions migrate). Entries that arrive by
 * migration, promotion or a load from the database go through no processor and raise no event
 * here; the {@link Reconciler} picks those up.
 */
@Component
public class LocalTaskWatcher
    implements PrimaryChanges,
        EntryRemovedListener<String, TaskRecord>,
        EntryEvictedListener<String, TaskRecord>,
        EntryExpiredListener<String, TaskRecord>,
        MapClearedListener {
  private final HazelcastInstance hazelcast;
  private final TaskStore store;
  private final PendingIndex pending;
  private final RunningIndex running;
  private final Dispatcher dispatcher;
  private UUID registration;

  public LocalTaskWatcher(HazelcastInstance hazelcast, TaskStore store, PendingIndex pending, RunningIndex running,
      Dispatcher dispatcher) {
    this.hazelcast = hazelcast;
    this.store = store;
    this.pending = pending;
    this.running = running;
    this.dispatcher = dispatcher;
  }

  public void start() {
    hazelcast.getUserContext().put(CONTEXT_KEY, this);
    registration = store.map().addLocalEntryListener(this, Predicates.alwaysTrue(), false);
  }

  public void stop() {
    hazelcast.getUserContext().remove(CONTEXT_KEY, this);
    if (registration != null) {
      store.map().removeEntryListener(registration);
    }
  }

  @Override
  public void changed(TaskRecord task) {
    track(task);
  }

  @Override
  public StartAtOnce reserveStart(TaskRecord task) {
    return dispatcher.reserveStart(task);
  }

  @Override
  public void startReserved(TaskRecord task) {
    dispatcher.startReserved(task);
  }

  @Override
  public void releaseReserved(TaskRecord task) {
    dispatcher.releaseReserved();
  }

  /** Files a task under the index its status belongs to. */
  public void track(TaskRecord task) {
    switch (task.getStatus()) {
      case PENDING -> {
        running.remove(task.getId());
        pending.offer(task);
      }
      case RUNNING -> {
        pending.remove(task.getId());
        running.put(task);
      }
      default -> forget(task.getId());
    }
  }

  private void forget(String id) {
    pending.remove(id);
    running.remove(id);
  }

  @Override
  public void entryRemoved(EntryEvent<String, TaskRecord> event) {
    forget(event.getKey());
  }

  @Override
  public void entryEvicted(EntryEvent<String, TaskRecord> event) {
    forget(event.getKey());
  }

  @Override
  public void entryExpired(EntryEvent<String, TaskRecord> event) {
    forget(event.getKey());
  }

  @Override
  public void mapCleared(MapEvent event) {
    pending.retainIf(id -> false);
    running.retainIf(id -> false);
  }
}
