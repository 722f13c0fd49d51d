package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.util.Comparator;
import java.util.Map;

/** Orders map entries by task id; the order of task listings, and what their cursor counts in. */
public final class IdOrder implements Comparator<Map.Entry<String, TaskRecord>>, IdentifiedDataSerializable {
  @Override
  public int compare(Map.Entry<String, TaskRecord> a, Map.Entry<String, TaskRecord> b) {
    return a.getKey().compareTo(b.getKey());
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.ID_ORDER;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
