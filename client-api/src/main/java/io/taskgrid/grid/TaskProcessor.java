package io.taskgrid.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Base of every state change of a task: an entry processor that runs atomically on the partition
 * owner of the task's key. Hazelcast runs the same processor again on the backup (the default
 * {@code getBackupProcessor()}), so a transition ships this small object to the backup instead of
 * the task's value with its payload; every input that is not deterministic (the time, the node)
 * is therefore a field, fixed before the processor is sent.
 */
public abstract class TaskProcessor<R>
    implements EntryProcessor<String, TaskRecord, R>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  @Override
  public final int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }
}
