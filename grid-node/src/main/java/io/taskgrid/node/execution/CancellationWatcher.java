package io.taskgrid.node.execution;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.taskgrid.grid.StatusIn;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.execution.Execution.StopReason;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Interrupts the handler of a task that is cancelled while it runs here. The task may live in any
 * partition, so this listens cluster-wide, filtered on the owner to CANCELLED tasks only and
 * without values; cancellations are rare. (A missed event is caught by the next lease renewal.)
 */
@Component
public class CancellationWatcher implements EntryUpdatedListener<String, TaskRecord> {
  private final TaskStore store;
  private final Worker worker;
  private UUID registration;

  public CancellationWatcher(TaskStore store, Worker worker) {
    this.store = store;
    this.worker = worker;
  }

  public void start() {
    registration = store.map().addEntryListener(this, new StatusIn(TaskStatus.CANCELLED), false);
  }

  public void stop() {
    if (registration != null) {
      store.map().removeEntryListener(registration);
    }
  }

  @Override
  public void entryUpdated(EntryEvent<String, TaskRecord> event) {
    worker.stop(event.getKey(), StopReason.CANCELLED);
  }
}
