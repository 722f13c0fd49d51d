package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.projection.Projection;
import java.util.Map;

/**
 * Projects a task to its record without the payload, on the member that holds it: what a query
 * needs to see a task's state, without carrying up to 1 MiB of payload per task back to the caller.
 */
public final class WithoutPayload implements Projection<Map.Entry<String, TaskRecord>, TaskRecord>,
    IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  @Override
  public TaskRecord transform(Map.Entry<String, TaskRecord> entry) {
    return entry.getValue().withoutPayload();
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.WITHOUT_PAYLOAD;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
