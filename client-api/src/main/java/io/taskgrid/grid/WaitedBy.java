package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Matches the waits of one member or client ({@value OwnerEndNotices#WAITS_MAP}): the filter of
 * its listener there, run on the owners, so that each waiter is sent only its own tasks' ends.
 * For a removed entry Hazelcast tests the value it had.
 */
public final class WaitedBy implements Predicate<String, Waiters>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private UUID waiter;

  public WaitedBy() {}

  WaitedBy(UUID waiter) {
    this.waiter = waiter;
  }

  @Override
  public boolean apply(Map.Entry<String, Waiters> entry) {
    Waiters waiting = entry.getValue();
    return waiting != null && waiting.ids().contains(waiter);
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.WAITED_BY;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    TaskGridSerialization.writeUuid(out, waiter);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    waiter = TaskGridSerialization.readUuid(in);
  }
}
