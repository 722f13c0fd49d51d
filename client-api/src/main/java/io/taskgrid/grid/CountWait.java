package io.taskgrid.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Counts a wait of a member or client on a task in or out ({@code +1} as it begins, {@code -1} as
 * it ends), on the task's owner; the backup replays it. A count out where none is open changes
 * nothing: the task's end removed the entry first.
 */
public final class CountWait implements EntryProcessor<String, Waiters, Void>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private UUID waiter;
  private int delta;

  public CountWait() {}

  CountWait(UUID waiter, int delta) {
    this.waiter = waiter;
    this.delta = delta;
  }

  @Override
  public Void process(Map.Entry<String, Waiters> entry) {
    Waiters waiting = entry.getValue() == null ? new Waiters() : entry.getValue();
    if (waiting.add(waiter, delta)) {
      entry.setValue(waiting.isEmpty() ? null : waiting);
    }
    return null;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.COUNT_WAIT;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    TaskGridSerialization.writeUuid(out, waiter);
    out.writeInt(delta);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    waiter = TaskGridSerialization.readUuid(in);
    delta = in.readInt();
  }
}
