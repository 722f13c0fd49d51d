package io.taskgrid.node.dispatch;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Keeps the pending and running indexes current from the events of the entries this member owns
 * as primary ({@code addLocalEntryListener}: no event crosses the network, and it follows
 * ownership when partitions migrate). Entries that arrive by migration or promotion raise no
 * event; the {@link Reconciler} picks those up.
 */
@Component
public class LocalTaskWatcher
    implements EntryAddedListener<String, TaskRecord>,
        EntryUpdatedListener<String, TaskRecord>,
        EntryRemovedListener<String, TaskRecord>,
        EntryEvictedListener<String, TaskRecord>,
        EntryExpiredListener<String, TaskRecord>,
        MapClearedListener {
  private final TaskStore store;
  private final PendingIndex pending;
  private final RunningIndex running;
  private UUID registration;

  public LocalTaskWatcher(TaskStore store, PendingIndex pending, RunningIndex running) {
    this.store = store;
    this.pending = pending;
    this.running = running;
  }

  public void start() {
    registration = store.map().addLocalEntryListener(this);
  }

  public void stop() {
    if (registration != null) {
      store.map().removeEntryListener(registration);
    }
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
  public void entryAdded(EntryEvent<String, TaskRecord> event) {
    track(event.getValue());
  }

  @Override
  public void entryUpdated(EntryEvent<String, TaskRecord> event) {
    track(event.getValue());
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
