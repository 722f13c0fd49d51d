package io.taskgrid.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.util.Map;

/**
 * Removes a task's waits once it has ended, on its owner (the backup replays it), and answers the
 * members that were waiting, or null if none was.
 */
public final class TakeWaits implements EntryProcessor<String, WaitingMembers, WaitingMembers>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  @Override
  public WaitingMembers process(Map.Entry<String, WaitingMembers> entry) {
    WaitingMembers waiting = entry.getValue();
    if (waiting != null) {
      entry.setValue(null);
    }
    return waiting;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.TAKE_WAITS;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
